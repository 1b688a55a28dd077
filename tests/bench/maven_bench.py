#!/usr/bin/env python3
"""%maven section of the spindle benchmark: what loading a library costs when it is already
in the local repository (a notebook rerun after a kernel restart), and whether the cells after
it get slower.

Called from kernel_bench.py (its BENCHMARKS list) as `run(ctx, kb)`. The repository is made
here (tests/support/maven_repo.py, javac of the kernel's JDK), mirrored to Central in a private
HOME's settings, and copied into a private local repository by one kernel first; then each of
`--reps` fresh kernels times, from the client (execute_request to reply + idle):

  * `%maven` of two local jars (the resolver's classes load on this first use), against
    `%classpath` of two other jars in the same kernel just before (JShell's own cost of
    adding jars: the floor under %maven);
  * a second `%maven` in that kernel (resolver loaded and warm);
  * `1 + 1` round trips before and after the `%maven` (median of ROUNDS each), and the first
    cell after it.
"""
from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 20
CELL_TIMEOUT = 60.0
YARDSTICK = "yardstick"


def _timed(k, code: str, timeout: float = CELL_TIMEOUT) -> float:
    """Seconds from execute_request to its reply and idle; raises if the cell failed."""
    t0 = time.perf_counter()
    mid = k.kc.execute(code)
    k.wait(lambda: mid in k.shell and k.has_iopub(mid, "status", "idle"), timeout, f"reply to {code!r}")
    took = time.perf_counter() - t0
    reply = k.shell.pop(mid)
    k.iopub.pop(mid, None)
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content'].get('evalue')}")
    return took


def _repo(work: Path, java: str):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from support.maven_repo import MavenRepo, constant, settings_home  # noqa: E402
    javac = str(Path(java).resolve().parent / "javac")
    repo = MavenRepo(work / "repo", javac)
    dep = repo.publish("benchdep", "1.0", constant("t.bench.dep.Dep", "dep"))
    repo.publish("benchlib", "1.0", constant("t.bench.lib.Lib", "lib"), deps=["t.spindle:benchdep:1.0"], classpath=[dep])
    repo.publish("benchtwo", "1.0", constant("t.bench.two.Two", "two"))
    cp = [repo.publish(f"cp{i}", "1.0", constant(f"t.bench.cp{i}.Cp{i}", "cp")) for i in (1, 2)]
    home = settings_home(work / "home", repo.url, work / "local")
    return home, cp


def run(ctx, kb) -> list:
    """`%maven` of an artifact already in the local repository; the cells after it."""
    if kb.SPINDLE not in ctx.kernels:
        ctx.log("  skipped: the spindle kernel is not among --kernels")
        return []
    work = Path(tempfile.mkdtemp(prefix="maven-", dir=ctx.work))
    java = ctx.spindle_spec["argv"][0]
    home, cp = _repo(work, java)
    env = dict(ctx.env, HOME=str(home), XDG_CACHE_HOME=str(Path(ctx.env["HOME"]) / ".cache"))
    mctx = dataclasses.replace(ctx, env=env)

    first = kb.BenchKernel(mctx, kb.SPINDLE, "maven-fill")
    try:  # fills the local repository, as an earlier session of the notebook would have
        first.start()
        first.kernel_info(kb.START_TIMEOUT)
        first.await_iopub(kb.START_TIMEOUT)
        _timed(first, "%maven t.spindle:benchlib:1.0 t.spindle:benchtwo:1.0")
    finally:
        first.stop()

    rows = {
        "maven": kb.Row("`%maven` 2 local jars, first use in a fresh kernel (yardstick: `%classpath` of 2 jars)",
                        "ms", target=300.0),
        "again": kb.Row("`%maven` 1 local jar, resolver already loaded (yardstick: `%classpath` of 2 jars)", "ms"),
        "rtt": kb.Row(f"`1 + 1` round trip p50 after `%maven` ({ROUNDS} runs; yardstick: before)", "ms"),
        "first": kb.Row("first cell after `%maven` (`1 + 1`; yardstick: the last one before)", "ms"),
    }
    for rep in range(ctx.args.reps):
        ctx.log(f"  spindle: %maven run {rep + 1}/{ctx.args.reps}")
        k = kb.BenchKernel(mctx, kb.SPINDLE, f"maven-{rep}")
        try:
            k.start()
            k.kernel_info(kb.START_TIMEOUT)
            k.await_iopub(kb.START_TIMEOUT)
            for _ in range(5):
                _timed(k, "1 + 1")  # the first cells of a session; JShell's warm-up
            before = [_timed(k, "1 + 1") * 1000 for _ in range(ROUNDS)]
            classpath = _timed(k, "%classpath " + ":".join(str(p) for p in cp)) * 1000
            maven = _timed(k, "%maven t.spindle:benchlib:1.0") * 1000
            first_after = _timed(k, "1 + 1") * 1000
            after = [_timed(k, "1 + 1") * 1000 for _ in range(ROUNDS)]
            again = _timed(k, "%maven t.spindle:benchtwo:1.0") * 1000
            _timed(k, "t.bench.lib.Lib.value() + t.bench.two.Two.value()")  # they are usable
        finally:
            k.stop()
        for key, s, y in (("maven", maven, classpath), ("again", again, classpath),
                          ("rtt", statistics.median(after), statistics.median(before)),
                          ("first", first_after, before[-1])):
            rows[key].samples.setdefault(kb.SPINDLE, []).append(s)
            rows[key].samples.setdefault(YARDSTICK, []).append(y)
    return list(rows.values())
