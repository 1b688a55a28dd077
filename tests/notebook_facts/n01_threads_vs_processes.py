"""Key facts of notebooks/01-threads-vs-processes.ipynb, read from its own outputs."""
from __future__ import annotations

import re

from notebook_facts import VEGALITE_MIME, cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


def _lines(cell) -> list[str]:
    return stdout_of(cell).splitlines()


def _y_title(chart: dict) -> str:
    spec = chart[VEGALITE_MIME]
    for part in [spec, *spec.get("layer", [])]:
        y = part.get("encoding", {}).get("y", {})
        if y.get("title"):
            return y["title"]
    return ""


def check(nb, claims: dict[str, dict], machine: dict) -> None:
    # The claims about parallelism need two free cores: on a busy machine (or a single core) they
    # are inconclusive, never another verdict.
    needs_cores(claims, 2, "cpu-threads-no-speedup", "cpu-processes-speedup", "shared-memory-races",
                "cpu-bound-processes")
    needs_cores(claims, 1, "waits-overlap", "io-bound-threads")   # starting child JVMs, waking up
    verdicts(claims, {
        "waits-overlap": "HOLDS",
        "threads-talk-faster": "HOLDS",
        "processes-isolated": "HOLDS",
        "processes-start-slower": "HOLDS",
        "processes-use-more-memory": "HOLDS",
        "io-bound-threads": "HOLDS",
        "cpu-threads-no-speedup": "CPYTHON_ONLY",
        "cpu-processes-speedup": "HOLDS",
        "shared-memory-races": "HOLDS",
        "cpu-bound-processes": "CPYTHON_ONLY",
    })
    assert len(claims) == 10, sorted(claims)

    # 1. Two named threads sleep 2 s side by side: started together, done in about 2 s.
    out = _lines(cell_with(nb, 'Workers.thread("A", () -> task("Thread", "A"))'))
    for line in ("Thread A starting", "Thread B starting", "Thread A finished", "Thread B finished"):
        assert line in out, (line, out)
    assert max(out.index("Thread A starting"), out.index("Thread B starting")) \
        < min(out.index("Thread A finished"), out.index("Thread B finished")), out
    assert out.index("All threads completed") > max(out.index("Thread A finished"), out.index("Thread B finished"))
    assert 1.9 <= value(claims, "waits-overlap", "2 threads") < 3.5

    # 2. The same with two child JVMs, each with its own PID.
    cell = cell_with(nb, 'Workers.process("A", () -> task("Process", "A"))')
    out = _lines(cell)
    for line in ("Process A starting", "Process B starting", "Process A finished", "Process B finished"):
        assert line in out, (line, out)
    assert out.index("All processes completed") > max(out.index("Process A finished"), out.index("Process B finished"))
    pids = re.search(r"PIDs: kernel (\d+), child A (\d+), child B (\d+)", stdout_of(cell))
    assert pids and len(set(pids.groups())) == 3, stdout_of(cell)
    if decided(claims, "waits-overlap"):
        assert 1.9 <= value(claims, "waits-overlap", "2 child JVMs") < 3.5

    # 3. CPU-bound: the article's loop is a few ms in Java, the unit of work is scaled up and said so.
    out = stdout_of(cell_with(nb, "long computeAsWritten()"))
    ms = float(re.search(r"compute\(\) as written: ([\d.]+) ms in Java", out).group(1))
    assert ms < 100, out
    out = stdout_of(cell_with(nb, "double stepsPerSecond"))
    scale = re.search(r"one unit of work = compute\(([\d,]+)\): (\d+)x the article's", out)
    assert scale and int(scale.group(1).replace(",", "")) >= 10_000_000, out
    py_out = stdout_of(cell_with(nb, "%%python --label cpu"))
    assert "compute() as written:" in py_out and "2 processes:" in py_out, py_out
    if decided(claims, "cpu-threads-no-speedup"):
        cpython_threads = value(claims, "cpu-threads-no-speedup", "CPython, 2 threads")
        assert cpython_threads < 1.35, cpython_threads           # the GIL: no speed-up in CPython
        assert value(claims, "cpu-threads-no-speedup", "Java, 2 threads") >= 1.35
        assert value(claims, "cpu-threads-no-speedup", "Java, busy cores with 2 threads") >= 1.3
    if decided(claims, "cpu-processes-speedup"):
        assert value(claims, "cpu-processes-speedup", "Java, 2 child JVMs (start included)") >= 1.35
    if decided(claims, "cpu-bound-processes"):
        assert value(claims, "cpu-bound-processes", "CPython, 2 processes") >= \
            1.25 * value(claims, "cpu-bound-processes", "CPython, 2 threads")

    # 4. The queue: the child's hello reaches the parent; a thread's message costs far less.
    assert "Hello from process" in _lines(cell_with(nb, 'mailbox.put("Hello from process")'))
    assert value(claims, "threads-talk-faster", "ratio") > 5

    # 5. The race: updates lost without protection, none with AtomicLong or a lock.
    if decided(claims, "shared-memory-races"):
        assert value(claims, "shared-memory-races", "lost without protection") > 0
    assert value(claims, "shared-memory-races", "lost with AtomicLong") == 0
    assert value(claims, "shared-memory-races", "lost with ReentrantLock") == 0

    # 6. Isolation, start-up cost and memory.
    assert value(claims, "processes-isolated", "thread's change seen by the notebook") == "true"
    assert value(claims, "processes-isolated", "child's change seen by the notebook") == "false"
    assert value(claims, "processes-isolated", "child's exit code") == "3"
    out = stdout_of(cell_with(nb, "List<String> notes = new ArrayList<>"))
    assert "the notebook's list: [written by the notebook, written by a thread]" in out, out
    assert "written by a child JVM" in out.split("the notebook's list:")[0], out   # the child's own copy
    assert value(claims, "processes-start-slower", "thread") < 5
    assert value(claims, "processes-start-slower", "spare ready / thread") > 10
    assert 10 < value(claims, "processes-use-more-memory", "idle child JVM") < 500
    assert value(claims, "processes-use-more-memory", "idle thread") < 2048      # KB

    # 7. Waits overlap on threads, in Java and in CPython.
    if decided(claims, "io-bound-threads"):
        assert value(claims, "io-bound-threads", "Java, 8 threads vs one after the other") >= 4.5
        assert value(claims, "io-bound-threads", "CPython, 8 threads vs one after the other") >= 3

    # Charts: titled, y axes with a unit; the summary table and nothing left running.
    charts = charts_of(nb)
    assert len(charts) >= 8, len(charts)
    for chart in charts:
        spec = chart[VEGALITE_MIME]
        title = spec.get("title")
        assert (title.get("text") if isinstance(title, dict) else title), spec.get("title")
        assert re.search(r"\(.+\)", _y_title(chart)), _y_title(chart)
    summary = cell_with(nb, "var summary = new StringBuilder")
    table = "".join(o.get("data", {}).get("text/markdown", "") for o in summary.get("outputs", []))
    assert table.count("\n| ") >= 10, table
    assert "no live workers" in stdout_of(cell_with(nb, "%workers"))
