"""A long session stays small and fast: a few hundred edited reruns of a cell that declares a
class and a method, as a user edits and reruns, keep the kernel's live heap and the rerun
time flat, and nothing made before the reruns breaks (values, a running thread of an earlier
cell, a lambda a finished statement left behind, an object of a replaced class sent to a
child JVM).

Sized for CI: the benchmark (tests/bench/long_session_bench.py) runs 1,000 reruns against
the targets; here the bounds are those targets scaled to the number of reruns, with a
margin. The heap is read inside the kernel (MemoryMXBean after full collections), and the
rerun time is compared with itself (the last reruns against the first), never with a
wall-clock threshold.
"""
from __future__ import annotations

import time

import pytest

from support import long_session as ls
from support.children import PROCESS_CELL_TIMEOUT

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")

RERUNS = 260
WARM = 20                  # reruns before the baseline: JIT and javac's first-use garbage
EDGE = 50                  # the first and last this many timed reruns are compared
HEAP_MB_PER_1000 = 48.0    # the benchmark's target (issue 10)
HEAP_MARGIN = 1.5
TIME_FACTOR = 1.5          # the benchmark's target is 1.3; generous against a loaded machine


def serializable_cell(i: int) -> str:
    # The edited cell, with a class that can travel to a child JVM.
    return ls.edited_cell(i).replace("class Tally {", "class Tally implements java.io.Serializable {", 1)


def test_edited_reruns_keep_heap_and_rerun_time_flat(start_kernel):
    k = start_kernel("long-session")
    k.execute(serializable_cell(0)).assert_ok()
    # Made before the reruns; each must still work after them.
    k.execute('String kept = "kept"; int counter = 41;').assert_ok()
    k.execute("counter++;").assert_ok()
    k.execute("List<java.util.function.Supplier<String>> later = new ArrayList<>();\n"
              "List<Object> olds = new ArrayList<>();").assert_ok()
    # Statements: JShell may forget them, their lambda and object must live on.
    k.execute('later.add(() -> "from a finished statement " + counter);').assert_ok()
    k.execute("olds.add(new Tally());").assert_ok()
    # A declaration that names Tally would be reset by each redefinition: statements do not.
    k.execute("var gate = new java.util.concurrent.CountDownLatch(1);\n"
              "var seen = new java.util.concurrent.atomic.AtomicInteger();\n"
              "var threads = new ArrayList<Thread>();").assert_ok()
    k.execute("threads.add(new Thread(() -> {\n"
              "    try { gate.await(); } catch (InterruptedException e) { return; }\n"
              "    seen.set(new Tally().bump(1));\n"
              "}));\n"
              "threads.get(0).start();").assert_ok()

    times = []
    heap0 = None
    for i in range(1, RERUNS + 1):
        if i == WARM + 1:
            heap0 = ls.number(k.execute(ls.HEAP_PROBE).assert_ok().text)
        t0 = time.perf_counter()
        k.execute(serializable_cell(i)).assert_ok()
        if i > WARM:
            times.append(time.perf_counter() - t0)
    heap1 = ls.number(k.execute(ls.HEAP_PROBE).assert_ok().text)

    # The newest edit is what runs.
    assert k.eval_int("tally(1)") == ls.expected_tally(RERUNS, 1)
    # Values and objects from before the reruns.
    res = k.execute('kept + " " + counter + " " + later.get(0).get()').assert_ok()
    assert res.text == '"kept 42 from a finished statement 42"', res
    # The thread of an earlier cell runs the class version it was compiled against.
    k.execute("gate.countDown();\nthreads.get(0).join(10_000);").assert_ok()
    assert k.eval_int("seen.get()") == 1, "the early thread did not run the first Tally (1 + 0 + 0)"
    # An object of a replaced class version travels to a child JVM and back.
    res = k.execute('var old = Workers.process("old", () -> olds.get(0).getClass().getName() + " "\n'
                    "    + olds.get(0).equals(olds.get(0)));\n"
                    "old.start();\n"
                    "old.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert "Tally true" in (res.text or ""), res

    grown_mb = (heap1 - heap0) / 2**20
    allowed_mb = HEAP_MB_PER_1000 * (RERUNS - WARM) / 1000 * HEAP_MARGIN
    first, last = ls.p50(times[:EDGE]), ls.p50(times[-EDGE:])
    print(f"\nlong session: {RERUNS - WARM} edited reruns grew the live heap by {grown_mb:.1f} MB "
          f"({heap0 / 2**20:.1f} -> {heap1 / 2**20:.1f} MB); rerun p50 {first * 1000:.0f} -> {last * 1000:.0f} ms")
    assert grown_mb <= allowed_mb, (
        f"{RERUNS - WARM} edited reruns grew the live heap by {grown_mb:.1f} MB "
        f"(allowed {allowed_mb:.1f} MB: {HEAP_MB_PER_1000:g} MB per 1,000 x {HEAP_MARGIN})")
    assert last <= first * TIME_FACTOR, (
        f"reruns got slower: p50 of the last {EDGE} is {last * 1000:.0f} ms, "
        f"of the first {EDGE} {first * 1000:.0f} ms (allowed x{TIME_FACTOR})")
