"""Facts of notebooks/05-locks-queues-and-many-processes.ipynb, read from its own outputs."""
from __future__ import annotations

import re

from . import cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


def _count(claims, claim_id, name) -> int:
    """A count recorded as text, e.g. "3 of 15" -> 3."""
    text = str(value(claims, claim_id, name))
    m = re.match(r"\s*(\d+) of \d+", text)
    assert m, f"{claim_id}: {name!r} is {text!r}, expected 'N of M'"
    return int(m.group(1))


def check(nb, claims: dict[str, dict], machine: dict) -> None:
    # The CPU-bound claims need two free cores: inconclusive on a busy machine or a single core.
    needs_cores(claims, 2, "cpu-threads", "cpu-processes")
    needs_cores(claims, 1, "io-threads")
    expected = {
        "print-lock": "HOLDS",
        "io-threads": "HOLDS",
        "thread-overhead": "HOLDS",
        "join-in-loop": "HOLDS",
        "out-of-order": "HOLDS",
        "no-corruption": "WRONG",
        "ipc-cost": "HOLDS",
        "memory-copied": "HOLDS",
        "thread-cheap": "HOLDS",
        "gui-thread": "HOLDS",
        "cpu-threads": "CPYTHON_ONLY",
        "cpu-processes": "HOLDS",
    }
    verdicts(claims, expected)

    # 1. Five threads, each printing its number once.
    out = stdout_of(cell_with(nb, "void testThread(int num)"))
    assert sorted(out.split()) == ["0", "1", "2", "3", "4"], out

    # 2. Print lock: without it lines tear (shown), with it all 15 lines are whole.
    torn = stdout_of(cell_with(nb, "fiveThreadsTalk(null)"))
    assert re.search(r"-> \d+ of 15 lines came out torn", torn), torn
    locked = stdout_of(cell_with(nb, "fiveThreadsTalk(printLock)"))
    lines = [ln for ln in locked.splitlines() if not ln.startswith("->")]
    assert len(lines) == 15 and all(re.fullmatch(r"thread-\d: line [123] of 3", ln) for ln in lines), locked
    assert _count(claims, "print-lock", "torn lines, with the print lock") == 0

    # 3. Job queue: ten jobs, each done once by one of five workers, in about 0.2 s (1 s on one worker).
    jobs_out = stdout_of(cell_with(nb, "double crewSeconds = runJobs(CREW, JOBS, true);"))
    done = re.findall(r"worker-([0-4]) finished job (\d+)", jobs_out)
    assert sorted(int(j) for _, j in done) == list(range(10)), jobs_out
    one = value(claims, "io-threads", "10 jobs, 1 worker thread")
    five = value(claims, "io-threads", "10 jobs, 5 worker threads")
    assert 0.95 <= one, one
    assert 0.19 <= five, five
    if decided(claims, "io-threads"):
        assert one <= 3.0 and five <= 0.6, (one, five)

    # 4. Tiny tasks: a thread per task costs far more than the task; a pool less than a thread.
    direct = value(claims, "thread-overhead", "Java, called directly")
    per_thread = value(claims, "thread-overhead", "Java, a new thread per task")
    pool = value(claims, "thread-overhead", "Java, pool of 2 threads")
    assert per_thread > 100 * direct and pool < per_thread, (direct, per_thread, pool)

    # 5. Five child JVMs print "test!".
    assert stdout_of(cell_with(nb, "firstChildren.add(p)")).count("test!") == 5

    # 6. The same with join() inside the loop: five each; with join the loop takes >= 5 x 300 ms.
    assert stdout_of(cell_with(nb, "List<long[]> startAllThenJoin()")).count("test!") == 5
    assert stdout_of(cell_with(nb, "List<long[]> joinInsideTheLoop()")).count("test!") == 5
    assert _count(claims, "join-in-loop", "overlapping pairs, join() in the loop") == 0
    assert value(claims, "join-in-loop", "whole loop, join() in the loop") >= 1.5

    # 7. Twenty-five children: every number printed once; the arrival order is a permutation, not sorted.
    crowd = stdout_of(cell_with(nb, "void spawn(int num, SharedQueue<Integer> arrivals)"))
    m = re.search(r"arrival order: \[([\d, ]+)\]", crowd)
    assert m, crowd
    order = [int(x) for x in m.group(1).split(",")]
    assert sorted(order) == list(range(25)), order
    printed = [int(ln) for ln in crowd.splitlines() if ln.strip().isdigit()]
    assert sorted(printed) == list(range(25)), printed
    assert order != list(range(25))
    assert _count(claims, "out-of-order", "pairs the wrong way round") > 0
    assert value(claims, "out-of-order", "25 child JVMs, start to last exit") < 60

    # 8. Children interleave on a shared screen without a lock; with a ProcessLock every line is whole.
    assert _count(claims, "no-corruption", "torn lines, 3 children, no lock") > 0
    assert _count(claims, "no-corruption", "torn lines, 3 children, ProcessLock") == 0
    locked_children = stdout_of(cell_with(nb, "threeChildrenTalk(new ProcessLock())"))
    lines = [ln for ln in locked_children.splitlines() if not ln.startswith("->")]
    assert len(lines) == 9 and all(re.fullmatch(r"child-\d: line [123] of 3", ln) for ln in lines), locked_children

    # 9. Moving data: a thread gets a reference, a child JVM a copy.
    assert value(claims, "ipc-cost", "4 MB round trip, thread") < 1.0
    assert value(claims, "ipc-cost", "4 MB round trip, child JVM") > 10 * value(claims, "ipc-cost", "4 MB round trip, thread")
    assert value(claims, "ipc-cost", "4 MB round trip, CPython process") > value(claims, "ipc-cost", "1 KB round trip, thread")

    # 10. Memory: a 32 MB top-level variable makes each child at least 24 MB bigger; a CPython fork is not.
    light = value(claims, "memory-copied", "Java child, private memory, nothing big")
    heavy = value(claims, "memory-copied", "Java child, private memory, 32 MB variable")
    assert heavy - light >= 24, (light, heavy)
    py_light = value(claims, "memory-copied", "CPython fork child, nothing big")
    py_heavy = value(claims, "memory-copied", "CPython fork child, parent holds 32 MB")
    assert py_heavy - py_light < 16, (py_light, py_heavy)

    # 11. Start cost, GUI, CPU-bound work.
    assert value(claims, "thread-cheap", "Java child JVM, start + join") > 10 * value(claims, "thread-cheap", "Java thread, start + join")
    ui = value(claims, "gui-thread", "longest freeze, work on the UI thread")
    worker = value(claims, "gui-thread", "longest freeze, work on a worker thread")
    assert ui >= 200 and worker < 0.4 * ui, (ui, worker)
    if decided(claims, "cpu-threads"):
        assert value(claims, "cpu-threads", "Java, 2 threads") >= 1.25
        assert value(claims, "cpu-threads", "CPython, 2 threads") < 1.25
    if decided(claims, "cpu-processes"):
        assert value(claims, "cpu-processes", "Java, pool of 2 child JVMs") >= 1.25

    # Charts: at least one per measured section, each titled with labelled axes.
    charts = charts_of(nb)
    assert len(charts) >= 9, len(charts)

    # Nothing left running at the end.
    assert "no live workers" in stdout_of(cell_with(nb, "%workers"))
