#!/usr/bin/env python3
"""Long-session section of the spindle benchmark: what thousands of cells cost.

Called from kernel_bench.py (its BENCHMARKS list) as `run(ctx, kb)`, where kb is the
kernel_bench module. One spindle kernel, as a user's long session:

1. fresh: `1 + 1` round trips (p50) and idle RSS, the live heap after full collections;
2. 1,000 edited reruns of a cell that declares a class and a method (the source changes
   every time: tests/support/long_session.py), each timed; the live heap again;
3. 1,000 other cells (expressions, statements, a variable declared again), then `1 + 1`
   round trips again, alternating in blocks with a second kernel started fresh for the
   comparison (load on the machine drifts over the minutes this takes).

The rerun ratio compares the first 50 reruns with the last 50, minutes apart: on a machine
with other work it carries that drift.

Rows are ratios within this one run (the same kernel fresh and late), plus the heap
growth in MB. The live heap is read inside the kernel (MemoryMXBean after System.gc()).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
from support import long_session as ls  # noqa: E402

RERUNS = 1000
OTHER_CELLS = 1000
EDGE = 50            # first and last reruns compared
RTT_RUNS = 100
RTT_BLOCKS = 5       # late and fresh kernels alternate in this many blocks
RTT_WARMUP = 20
CELL_TIMEOUT = 60.0


def value(k, code: str, timeout: float = CELL_TIMEOUT) -> str:
    """Runs code on a BenchKernel and returns its execute_result text/plain."""
    mid = k.kc.execute(code)
    k.wait(lambda: mid in k.shell and k.has_iopub(mid, "status", "idle"), timeout, f"reply to {code!r}")
    reply = k.shell.pop(mid)
    msgs = k.iopub.pop(mid, [])
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    for m in msgs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"].get("text/plain", "")
    raise RuntimeError(f"{code!r} gave no execute_result")


def run_ok(k, code: str, timeout: float = CELL_TIMEOUT) -> float:
    """Runs code that shows no value; returns the round trip in seconds."""
    t0 = time.perf_counter()
    mid = k.kc.execute(code)
    k.wait(lambda: mid in k.shell and k.has_iopub(mid, "status", "idle"), timeout, f"reply to {code!r}")
    dt = time.perf_counter() - t0
    reply = k.shell.pop(mid)
    k.iopub.pop(mid, None)
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return dt


def rtt_p50_ms(k) -> float:
    for _ in range(RTT_WARMUP):
        k.execute("1 + 1")
    return statistics.median(k.execute("1 + 1")[1] * 1000 for _ in range(RTT_RUNS))


def idle_rss(k, seconds: float) -> float:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        k._pump(end - time.perf_counter())
    return ls.rss_mb(k.process.pid)


def run(ctx, kb) -> list:
    Row = kb.Row
    S = kb.SPINDLE
    rows = {
        "rtt": Row(f"round trip after {RERUNS + OTHER_CELLS:,} cells / fresh kernel (`1 + 1` p50)", "x", target=1.3),
        "heap": Row(f"live heap growth after {RERUNS:,} edited reruns (class + method)", "MB", target=48.0),
        "rerun": Row(f"rerun p50 after {RERUNS:,} edited reruns / first rerun (last {EDGE} / first {EDGE})",
                     "x", target=1.3),
        "rss": Row(f"idle RSS of the kernel (fresh, after {ctx.args.idle:g} s idle)", "MB", target=130.0),
        "rss_late": Row(f"idle RSS after {RERUNS + OTHER_CELLS:,} cells", "MB"),
        "rerun_ms": Row("edited rerun p50, first / last reruns", "ms"),
        "rtt_ms": Row("`1 + 1` round trip p50, fresh / late", "ms"),
    }
    k = kb.BenchKernel(ctx, S, "long-session")
    try:
        k.start()
        k.kernel_info(kb.START_TIMEOUT)
        k.await_iopub(kb.START_TIMEOUT)
        k.execute("1 + 1", kb.START_TIMEOUT)
        rtt_fresh = rtt_p50_ms(k)
        rows["rss"].samples[S] = [idle_rss(k, ctx.args.idle)]
        heap0 = ls.number(value(k, ls.HEAP_PROBE))
        ctx.log(f"  fresh: 1 + 1 p50 {rtt_fresh:.1f} ms, heap {heap0 / 2**20:.1f} MB")

        times = []
        for i in range(RERUNS):
            times.append(run_ok(k, ls.edited_cell(i)) * 1000)
            if (i + 1) % 250 == 0:
                ctx.log(f"  {i + 1} reruns, last p50 {statistics.median(times[-EDGE:]):.0f} ms")
        got = ls.number(value(k, "tally(1)"))
        if got != ls.expected_tally(RERUNS - 1, 1):
            raise RuntimeError(f"tally(1) is {got} after the reruns, expected {ls.expected_tally(RERUNS - 1, 1)}")
        heap1 = ls.number(value(k, ls.HEAP_PROBE))
        rows["heap"].samples[S] = [(heap1 - heap0) / 2**20]
        first, last = statistics.median(times[:EDGE]), statistics.median(times[-EDGE:])
        rows["rerun"].samples[S] = [last / first]
        rows["rerun_ms"].samples[S] = [first, last]
        rows["rerun_ms"].note = f"first {EDGE}: {first:.0f} ms, last {EDGE}: {last:.0f} ms"
        ctx.log(f"  after {RERUNS} reruns: heap {heap1 / 2**20:.1f} MB, rerun p50 {first:.0f} -> {last:.0f} ms")

        for i in range(OTHER_CELLS):
            run_ok(k, ls.mixed_cell(i))
        rows["rss_late"].samples[S] = [idle_rss(k, ctx.args.idle)]
        # The late kernel against a second, fresh one, in alternating blocks: the machine's
        # load drifts over minutes, so the two must be measured at the same time.
        fresh = kb.BenchKernel(ctx, S, "long-session-fresh")
        try:
            fresh.start()
            fresh.kernel_info(kb.START_TIMEOUT)
            fresh.await_iopub(kb.START_TIMEOUT)
            fresh.execute("1 + 1", kb.START_TIMEOUT)
            for kk in (k, fresh):
                for _ in range(RTT_WARMUP):
                    kk.execute("1 + 1")
            late_t, fresh_t = [], []
            for _ in range(RTT_BLOCKS):
                late_t += [k.execute("1 + 1")[1] * 1000 for _ in range(RTT_RUNS // RTT_BLOCKS)]
                fresh_t += [fresh.execute("1 + 1")[1] * 1000 for _ in range(RTT_RUNS // RTT_BLOCKS)]
        finally:
            fresh.stop()
        rtt_late, rtt_new = statistics.median(late_t), statistics.median(fresh_t)
        rows["rtt"].samples[S] = [rtt_late / rtt_new]
        rows["rtt_ms"].samples[S] = [rtt_new, rtt_late]
        rows["rtt_ms"].note = (f"fresh kernel {rtt_new:.1f} ms, after {RERUNS + OTHER_CELLS} cells {rtt_late:.1f} ms "
                               f"(alternating blocks); this kernel when fresh: {rtt_fresh:.1f} ms")
        ctx.log(f"  after {RERUNS + OTHER_CELLS} cells: 1 + 1 p50 {rtt_late:.1f} ms, fresh kernel {rtt_new:.1f} ms")
    finally:
        k.stop()
    return list(rows.values())
