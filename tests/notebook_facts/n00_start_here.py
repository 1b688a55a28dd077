"""Key facts of notebooks/00-start-here.ipynb."""
import re

from notebook_facts import cell_with, charts_of, decided, needs_cores, stdout_of, value, verdicts


def check(nb, claims, machine):
    # One shape, two kinds: the thread runs in the kernel's process, the child JVM in its own.
    out = stdout_of(cell_with(nb, "long whereAmI()"))
    m = re.search(r"kernel (\d+), thread (\d+), child JVM (\d+)", out)
    assert m, out
    kernel, thread, child = m.groups()
    assert kernel == thread != child, out
    assert f"a-child-jvm runs in process {child}" in out, "the child's print lands in the cell"

    # The summary chart: four speed-ups, Java and CPython, threads and processes.
    titles = [c["application/vnd.vegalite.v5+json"].get("title") for c in charts_of(nb)]
    assert any("Speed-up of two workers" in str(t) for t in titles), titles

    # Both halves of the claim, in both runtimes; it needs two free cores (inconclusive on a busy
    # machine, and on one with a single core).
    needs_cores(claims, 2, "threads-no-cpu-speedup")
    verdicts(claims, {"threads-no-cpu-speedup": "CPYTHON_ONLY"})
    if decided(claims, "threads-no-cpu-speedup"):
        assert value(claims, "threads-no-cpu-speedup", "Java, 2 threads") >= 1.3
        assert value(claims, "threads-no-cpu-speedup", "CPython, 2 threads") < 1.3
        assert value(claims, "threads-no-cpu-speedup", "CPython, 2 processes") >= 1.3
        assert value(claims, "threads-no-cpu-speedup", "Java, 2 child JVMs") > 1.1
