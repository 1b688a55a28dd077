"""Facts of notebooks/03-showdown-fact-check.ipynb (Python Performance Showdown: Threading vs. Multiprocessing)."""
from __future__ import annotations

import re

from notebook_facts import cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


def _pids(text: str, pattern: str) -> list[int]:
    return [int(m) for m in re.findall(pattern, text)]


def check(nb, claims, machine):
    cores = machine["cores"]
    release = machine["java_release"]

    # ---- verdicts: the ones about parallelism need free cores (W of them for the speed-ups, two for
    # the races) and are inconclusive on a busy machine; the rest hold anywhere
    workers = max(2, min(4, cores))
    needs_cores(claims, workers, "one-thread-at-a-time", "threads-parallelism", "processes-no-parallelism",
                "cpu-bound-needs-processes")
    needs_cores(claims, 2, "thread-lock", "process-lock")
    needs_cores(claims, 1, "processes-slow-to-work", "fast-io-threads", "slow-io-needs-asyncio")
    expected = {
        "threads-share-nothing": "WRONG",
        "processes-heavyweight": "HOLDS",
        "threads-start-faster": "HOLDS",
        "processes-slow-to-work": "WRONG",
        "sharing-limited": "HOLDS",
        "threads-switch-faster": "HOLDS",
        "fast-io-threads": "HOLDS",
        "slow-io-needs-asyncio": "WRONG",
        "one-interface": "HOLDS",
        "process-lock": "HOLDS",
        "processes-cannot-communicate": "WRONG",
        "one-thread-at-a-time": "CPYTHON_ONLY",
        "threads-parallelism": "HOLDS",
        "processes-no-parallelism": "WRONG",
        "cpu-bound-needs-processes": "CPYTHON_ONLY",
        "thread-lock": "HOLDS",
    }
    verdicts(claims, expected)
    assert len(claims) == 16, sorted(claims)

    # ---- sizing: the article's loop is milliseconds; one unit is ~0.4 s, many times that loop
    sizing = stdout_of(cell_with(nb, "double sumMs = timedMs"))
    sum_ms = float(re.search(r"10 million \(the article's size\): ([\d.]+) ms", sizing).group(1))
    assert sum_ms < 100, sizing
    unit = re.search(r"spin\(([\d,]+)\), (\d+) times the article's 10 million steps: about ([\d.]+) s", sizing)
    assert unit and int(unit.group(2)) >= 5 and 0.2 <= float(unit.group(3)) <= 0.8, sizing
    workers = int(re.search(r"W = (\d+)", sizing).group(1))
    assert workers == max(2, min(4, cores)), sizing

    # ---- section 1: a thread runs in the notebook's process
    out = stdout_of(cell_with(nb, 'var thread = Workers.thread("worker"'))
    kernel = _pids(out, r"the notebook itself is process (\d+)")
    assert kernel and _pids(out, r"task: process (\d+), thread 'worker'") == kernel, out

    # two threads wrote into the notebook's own list
    out = stdout_of(cell_with(nb, "var notes = Collections.synchronizedList"))
    assert "writer-1 was here" in out and "writer-2 was here" in out, out

    # ---- section 2: the process runs elsewhere; its change to a list stays in the child
    out = stdout_of(cell_with(nb, 'var process = Workers.process("worker"'))
    child = _pids(out, r"task: process (\d+), thread 'worker'")
    assert child and child != kernel and _pids(out, r"the notebook itself is process (\d+)") == kernel, out
    out = stdout_of(cell_with(nb, "var mine = new ArrayList"))
    assert re.search(r"child \d+ sees \[made by the notebook, added by the child\]", out), out
    assert re.search(r"notebook \d+ sees \[made by the notebook\]\n", out), out

    # ---- section 3: the toolbox; every child's write reached the notebook, the pipe answered
    out = stdout_of(cell_with(nb, "var results = new SharedMap"))
    assert re.search(r"\{child-0=\d+, child-1=\d+, child-2=\d+\}", out), out
    pids = [int(p) for p in re.search(r"SharedArray \(Array\): +\[([\d, ]+)\]", out).group(1).split(",")]
    assert len(set(pids)) == 3 and kernel[0] not in pids and 0 not in pids, out
    assert "3 children finished" in out, out
    out = stdout_of(cell_with(nb, "var pipe = Pipe.open()"))
    answer = _pids(out, r"received: process (\d+) got 'are you there\?'")
    assert answer and answer != kernel, out

    # ---- section 4: one API for every kind; the thread reports the kernel's pid
    out = stdout_of(cell_with(nb, "Workers.of(kind, \"same-api\""))
    assert _pids(out, r"THREAD +start\(\), result\(\) -> pid (\d+)") == kernel, out
    assert _pids(out, r"PROCESS +start\(\), result\(\) -> pid (\d+)") not in ([], kernel), out
    assert ("VIRTUAL" in out) == (release >= 21), out

    # ---- section 5: the numbers the prose states
    if decided(claims, "threads-parallelism"):
        assert value(claims, "threads-parallelism", f"Java: speed-up of {workers} threads") >= 1.3
        assert value(claims, "threads-parallelism", f"CPython: speed-up of {workers} threads") < 1.3
    if decided(claims, "processes-no-parallelism"):
        assert value(claims, "processes-no-parallelism", f"Java: speed-up of {workers} processes") >= 1.3
        assert value(claims, "processes-no-parallelism", f"CPython: speed-up of {workers} processes") >= 1.2
    assert value(claims, "processes-heavyweight", "Java: RSS of an idle child JVM") >= 20          # tens of MB
    assert value(claims, "processes-heavyweight", "Java: RSS per parked thread") < 1024            # tens of KB
    assert value(claims, "threads-start-faster", "Java: thread start + join") < 5                 # a fraction of a ms
    assert value(claims, "threads-start-faster", "Java: process start + join, new JVM") >= 20
    if decided(claims, "processes-slow-to-work"):
        assert value(claims, "processes-slow-to-work", "child / thread") < 2
    out = stdout_of(cell_with(nb, "double threadKb = rssKbPerThread"))
    assert ("virtual thread:  skipped" in out) == (release < 21), out

    # ---- section 6: ping-pong
    assert value(claims, "threads-switch-faster", "round trip to a thread") < \
        value(claims, "threads-switch-faster", "round trip to a child JVM")

    # ---- section 7: I/O; a pool of 100 cannot beat 10 rounds of 200 ms
    if decided(claims, "fast-io-threads"):
        assert value(claims, "fast-io-threads", "speed-up") >= 4.5
    assert value(claims, "slow-io-needs-asyncio", "Java: pool of 100 threads") >= 1900
    if decided(claims, "slow-io-needs-asyncio"):
        assert value(claims, "slow-io-needs-asyncio", "Java: one thread per connection") <= 1600
        assert value(claims, "slow-io-needs-asyncio", "CPython: asyncio") <= 1600
    assert ("Java: virtual threads" in claims["slow-io-needs-asyncio"]["values"]) == (release >= 21)

    # ---- section 8: one interface, the same results
    assert value(claims, "one-interface", "threads pool gave the sequential results") == "yes"
    assert value(claims, "one-interface", "process pool gave the sequential results") == "yes"

    # ---- section 9: locks
    assert value(claims, "process-lock", "lost with a ProcessLock") == 0
    if decided(claims, "process-lock"):
        assert value(claims, "process-lock", "lost with a copied ReentrantLock") > 0
    assert value(claims, "thread-lock", "lost with a ReentrantLock") == 0

    # ---- section 10: the child answered and 500 round trips went through
    assert value(claims, "processes-cannot-communicate", "round trips notebook <-> child JVM") == 500
    assert "are you there?" in value(claims, "processes-cannot-communicate", "reply from the child over a Pipe")

    # ---- charts: every measurement above is charted; the summary table lists every claim
    assert len(charts_of(nb)) >= 12, len(charts_of(nb))
    summary = cell_with(nb, "var table = new StringBuilder")
    text = "".join(o.get("data", {}).get("text/markdown", "") for o in summary.get("outputs", []))
    assert text.count("\n| ") >= 16 and "not run" not in text, text
