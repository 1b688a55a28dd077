"""Key facts of notebooks/04-timing-sleeps-and-sums.ipynb."""
import re

from notebook_facts import cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


# What the claims say on an idle machine with two cores or more (the reference run).
IDLE_VERDICTS = {
    "sleep-overlap": "HOLDS",
    "loop-is-cpu-work": "CPYTHON_ONLY",
    "processes-halve-time": "HOLDS",
    "threads-no-cpu-speedup": "CPYTHON_ONLY",
    "one-interface": "HOLDS",
    "thread-pool-for-io-only": "CPYTHON_ONLY",
    "lock-prevents-lost-updates": "HOLDS",
    "processes-copy-globals": "HOLDS",
    "queue-without-races": "HOLDS",
}


def check(nb, claims, machine):
    # Claims that rest on a speed-up (or a race) need two free cores: inconclusive on a busy
    # machine or a single core, never another verdict.
    needs_cores(claims, 2, "loop-is-cpu-work", "processes-halve-time", "threads-no-cpu-speedup",
                "thread-pool-for-io-only", "lock-prevents-lost-updates")
    needs_cores(claims, 1, "one-interface")
    verdicts(claims, IDLE_VERDICTS)

    # 1. Two threads that each sleep 1 s: just over 1 s, not 2 s; one after the other about 2 s.
    out = stdout_of(cell_with(nb, 'Workers.thread("t1"'))
    assert "Finished task on t1" in out and "Finished task on t2" in out, out
    assert 0.99 <= value(claims, "sleep-overlap", "two threads") < 1.5
    assert value(claims, "sleep-overlap", "one after the other") >= 1.99

    # 2. The literal loop: the JIT deletes it in a child JVM; CPython needs a good part of a second.
    assert value(claims, "loop-is-cpu-work", "Java, child JVM") < 1.0            # ms, for 10^8 turns
    assert value(claims, "loop-is-cpu-work", "CPython, 10^8 turns") > 300         # ms
    py = stdout_of(cell_with(nb, "--label article-loop"))
    assert re.search(r"^ns_per_turn: [\d.]+$", py, re.M), py

    # The loop the JIT must run, calibrated to ~0.4 s per task and printed.
    out = stdout_of(cell_with(nb, "long spin(long turns)"))
    m = re.search(r"one task: ([\d,]+) turns", out)
    assert m and int(m.group(1).replace(",", "")) >= 300_000_000, out

    # Speed-ups of two workers on two CPU-bound tasks, where the text puts them.
    if decided(claims, "processes-halve-time"):
        assert value(claims, "processes-halve-time", "Java, 2 child JVMs") >= 1.3
    if decided(claims, "threads-no-cpu-speedup"):
        assert value(claims, "threads-no-cpu-speedup", "Java, 2 threads") >= 1.3
        assert value(claims, "threads-no-cpu-speedup", "Java, busy cores with 2 threads") >= 1.3
        assert value(claims, "threads-no-cpu-speedup", "CPython, 2 threads") < 1.3

    # 3. One interface: the same code on both pools gives the same list; both overlap waiting.
    out = stdout_of(cell_with(nb, "List<Long> crunchAll(Pool pool)"))
    assert "both equal a plain loop, in order: true" in out, out
    assert value(claims, "one-interface", "same results from both pools") == "true"
    assert value(claims, "one-interface", "Java thread pool, waiting") >= 1.5
    assert value(claims, "one-interface", "Java process pool, waiting") >= 1.5
    if decided(claims, "thread-pool-for-io-only"):
        assert value(claims, "thread-pool-for-io-only", "CPython ThreadPoolExecutor, CPU-bound") < 1.3
        assert value(claims, "thread-pool-for-io-only", "Java thread pool, CPU-bound") >= 1.3
        assert value(claims, "thread-pool-for-io-only", "Java thread pool, waiting") >= 2.5

    # 4. Lost updates without the lock, none with it.
    if decided(claims, "lock-prevents-lost-updates"):
        assert value(claims, "lock-prevents-lost-updates", "increments lost without a lock") > 0
    assert value(claims, "lock-prevents-lost-updates", "increments lost with the lock") == 0

    # Processes copy globals: the child's change stays in the child.
    out = stdout_of(cell_with(nb, 'Workers.process("copy-holder"'))
    assert re.search(r"child JVM \d+: its counter is 1000", out), out
    assert re.search(r"notebook \d+: its counter is still 0", out), out
    notebook_pid, child_pid = value(claims, "processes-copy-globals", "PIDs (notebook, child)").split(", ")
    assert notebook_pid != child_pid

    # The queue between child JVMs: every item once, each producer's in order.
    out = stdout_of(cell_with(nb, "new SharedQueue<Integer>()"))
    assert re.search(r"consumer JVM \d+: received 1000 items", out), out
    assert "1000 items, 1000 distinct, each producer's in order: true" in out, out
    assert "4 different processes: true" in out, out
    assert value(claims, "queue-without-races", "distinct items") == 1000

    # Every chart is there, titled.
    titles = " | ".join(str(c["application/vnd.vegalite.v5+json"].get("title")) for c in charts_of(nb))
    for title in ("Two tasks that each sleep 1.0 s", "x = 1 + 1, a hundred million times",
                  "Two CPU-bound tasks of", "Two CPU-bound tasks at once: speed-up",
                  "8 items on pools of 4 workers", "Pools of 4 workers: speed-up",
                  "2 threads adding 1"):
        assert title in titles, (title, titles)

    # The summary table lists all nine claims.
    summary = cell_with(nb, "var summary = new StringBuilder")
    text = "".join(o.get("data", {}).get("text/markdown", "") for o in summary.get("outputs", []))
    assert text.count("\n| ") >= 9, text
