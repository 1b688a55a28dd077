"""Key facts of notebooks/02-memory-pids-and-ipc.ipynb (Python DeepCuts: Threading vs Multiprocessing Deep Dive)."""
from __future__ import annotations

import re

from . import cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


def _pid(text: str, pattern: str) -> int:
    m = re.search(pattern, text)
    assert m, f"no {pattern!r} in output:\n{text}"
    return int(m.group(1))


def check(nb, claims, machine):
    # The claims about parallelism need two free cores (inconclusive on a busy machine or one core).
    needs_cores(claims, 2, "gil-limits-cpu-threads", "processes-use-several-cores", "processes-for-cpu")
    needs_cores(claims, 1, "threads-for-waiting")
    verdicts(claims, {
        "threads-share-memory": "HOLDS",
        "processes-isolated": "HOLDS",
        "gil-limits-cpu-threads": "CPYTHON_ONLY",
        "processes-use-several-cores": "HOLDS",
        "pid-per-process": "HOLDS",
        "process-memory-cost": "HOLDS",
        "ipc-four-ways": "HOLDS",
        "ipc-has-a-cost": "HOLDS",
        "threads-for-waiting": "HOLDS",
        "processes-for-cpu": "CPYTHON_ONLY",
    })

    # 1. the thread's change is visible in the notebook
    assert "after the thread ran: [thread]" in stdout_of(cell_with(nb, 'Workers.thread("thread-worker", () -> {\n'))

    # 2. the child changed its copy, printed it with its own PID; the notebook's list stayed empty
    out = stdout_of(cell_with(nb, "the child's copy, sent back"))
    assert "inside the child JVM: [process]" in out
    assert "the notebook's list: []" in out
    assert _pid(out, r"the child's PID: (\d+)") != _pid(out, r"the kernel's PID: (\d+)")

    # 3. CPU-bound: the unit of work was scaled up and the speed-ups lie where the text says
    out = stdout_of(cell_with(nb, "long articleLoop()"))
    assert "total 49,999,995,000,000" in out
    assert re.search(r"one unit of work = [\d,]+ steps", stdout_of(cell_with(nb, "long cpuTask(long steps)")))
    if decided(claims, "gil-limits-cpu-threads"):
        assert value(claims, "gil-limits-cpu-threads", "Java, 2 threads") >= 1.3
        assert value(claims, "gil-limits-cpu-threads", "CPython, 2 threads") < 1.3
        for name in ("Java, 2 threads", "CPython, 2 threads"):
            assert value(claims, "gil-limits-cpu-threads", name) <= 2.3   # two cores at most, plus noise
    if decided(claims, "processes-use-several-cores"):
        assert value(claims, "processes-use-several-cores", "Java, 2 child JVMs") >= 1.3
        assert value(claims, "processes-use-several-cores", "CPython, 2 processes") >= 1.2

    # 4. PIDs: threads report the kernel's, each child JVM its own
    kernel = int(value(claims, "pid-per-process", "kernel PID"))
    threads = [int(x) for x in re.findall(r"\d+", value(claims, "pid-per-process", "PIDs reported by 2 threads"))]
    children = [int(x) for x in re.findall(r"\d+", value(claims, "pid-per-process", "PIDs reported by 2 child JVMs"))]
    assert threads == [kernel, kernel]
    assert len(set(children)) == 2 and kernel not in children
    # memory: a child JVM holds megabytes, a thread kilobytes
    assert 10 <= value(claims, "process-memory-cost", "Java: idle child JVM") <= 1000
    assert value(claims, "process-memory-cost", "Java: one more idle thread") < 2048
    assert 3 <= value(claims, "process-memory-cost", "CPython: idle child process (spawn)") <= 500

    # 5. IPC: the four mechanisms delivered; a child's greeting came through the queue
    assert "the notebook got: hello from the child JVM with PID" in stdout_of(cell_with(nb, "var queueWorker = Workers.process(\"queue-worker\", () -> {"))
    assert "received: PING" in stdout_of(cell_with(nb, "var pipe = Pipe.open();\nvar childEnd"))
    assert "shared counter: 20000" in stdout_of(cell_with(nb, "var counter = new SharedValue(0);"))
    assert "visits=2" in stdout_of(cell_with(nb, "var registry = new SharedMap<String, Long>();"))
    q_thread = value(claims, "ipc-has-a-cost", "queue round trip, threads")
    q_child = value(claims, "ipc-has-a-cost", "queue round trip, child JVM")
    assert 0 < q_thread < q_child

    # 6. the combined script: the article's output, in order
    out = stdout_of(cell_with(nb, "// Threads share memory"))
    lines = [l for l in out.splitlines() if l.strip()]
    expected = [r"\[thread\]", r"Inside process: \[process\]", r"PID: \d+", r"Main process: \[\]",
                r"CPU task on a thread: 49999995000000, in a child JVM: 49999995000000", r"hello", r"Main PID: \d+"]
    assert len(lines) == len(expected), lines
    for line, pattern in zip(lines, expected):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert _pid(out, r"\nPID: (\d+)") != _pid(out, r"Main PID: (\d+)") == kernel

    # 7. waiting: four 0.2 s waits on threads take about one wait
    if decided(claims, "threads-for-waiting"):
        assert 2.5 <= value(claims, "threads-for-waiting", "Java, 4 threads") <= 4.4

    # charts: CPU benchmark, CPU speed-ups, memory, IPC round trips, waiting benchmark
    titles = [c["application/vnd.vegalite.v5+json"]["title"]["text"] for c in charts_of(nb)]
    for t in ("Two units of CPU-bound work in Java", "Speed-up of two workers over one, CPU-bound work",
              "Memory one more idle worker adds", "One round trip through each IPC mechanism",
              "4 requests that each wait 0.2 s"):
        assert t in titles, (t, titles)

    # nothing left running
    assert "no live workers" in stdout_of(cell_with(nb, "%workers")) + "".join(
        o.get("data", {}).get("text/plain", "") for o in cell_with(nb, "%workers").get("outputs", []))
