#!/usr/bin/env python3
"""Cell-cost section of the spindle benchmark: what a cell costs beyond what it runs.

Called from kernel_bench.py (its BENCHMARKS list) as `run(ctx, kb)`, where kb is the
kernel_bench module (Row, BenchKernel, ...). One fresh kernel per kind (spindle,
ipykernel), then, in each, round trips of

  * `1 + 1`,
  * a cell of 10 one-line declarations (mixed types; rerunning it redefines them),
  * a cell of 10 plain statements (calls on a list),

from the execute_request to the reply and idle status, as a frontend waits for them. The
work in those cells is nothing: what is measured is compiling and the round trip. Kernels
run one after the other, never at the same time.
"""
from __future__ import annotations

import statistics
import time

WARMUP = 10         # untimed runs of each cell first (JShell compiles faster once javac is hot)
CELL_RUNS = 60      # timed runs of each multi-line cell

_JAVA_DECL = ["int d{i} = {i};", 'String d{i} = "s{i}";', "var d{i} = List.of({i});",
              "double d{i} = {i} * 0.5;", "long d{i} = {i} * 1000L;"]
_PY_DECL = ["d{i} = {i}", 'd{i} = "s{i}"', "d{i} = [{i}]", "d{i} = {i} * 0.5", "d{i} = {i} * 1000"]


def declarations(kernel: str, kb) -> str:
    forms = _JAVA_DECL if kernel == kb.SPINDLE else _PY_DECL
    return "\n".join(forms[i % len(forms)].format(i=i) for i in range(10))


def statements(kernel: str, kb) -> str:
    form = "sink.add({i});" if kernel == kb.SPINDLE else "sink.append({i})"
    return "\n".join(form.format(i=i) for i in range(10))


SETUP = {"spindle": "var sink = new ArrayList<Integer>();", "python3": "sink = []"}


def round_trip(k, code: str, timeout: float) -> float:
    """Seconds from sending `code` to its reply and idle status; raises if it failed."""
    t0 = time.perf_counter()
    mid = k.kc.execute(code)
    k.wait(lambda: mid in k.shell and k.has_iopub(mid, "status", "idle"), timeout, f"reply to {code!r}")
    elapsed = time.perf_counter() - t0
    reply = k.shell.pop(mid)
    k.iopub.pop(mid, None)
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return elapsed


def run(ctx, kb) -> list:
    a = ctx.args
    rtt_runs = a.executes
    rows = {
        "rtt": kb.Row(f"`1 + 1` round trip p50 ({rtt_runs} runs)", "ms", target=12.0),
        "decl": kb.Row(f"cell of 10 one-line declarations, p50 ({CELL_RUNS} runs)", "ms", target=60.0),
        "stmt": kb.Row(f"cell of 10 plain statements (calls), p50 ({CELL_RUNS} runs)", "ms", target=40.0),
    }
    for name in ctx.kernels:
        ctx.log(f"  {kb.LABELS[name]}: cells")
        k = kb.BenchKernel(ctx, name, "cells")
        try:
            k.start()
            k.kernel_info(kb.START_TIMEOUT)
            k.await_iopub(kb.START_TIMEOUT)
            round_trip(k, SETUP[name], kb.START_TIMEOUT)
            cells = {"rtt": ("1 + 1", rtt_runs), "decl": (declarations(name, kb), CELL_RUNS),
                     "stmt": (statements(name, kb), CELL_RUNS)}
            for key, (code, runs) in cells.items():
                for _ in range(max(a.warmup // 2, WARMUP)):
                    round_trip(k, code, kb.REPLY_TIMEOUT)
                times = [round_trip(k, code, kb.REPLY_TIMEOUT) * 1000 for _ in range(runs)]
                rows[key].samples[name] = [statistics.median(times)]
                ctx.log(f"    {key}: p50 {statistics.median(times):.1f} ms, "
                        f"min {min(times):.1f}, max {max(times):.1f} (load {kb.loadavg()})")
        finally:
            k.stop()
    return list(rows.values())
