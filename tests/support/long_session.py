"""A long notebook session, as a user makes one: the same cell edited and rerun many times,
plus the probes that read the kernel's memory from inside it. Shared by
tests/test_long_session.py (a few hundred reruns, CI-sized) and the long-session section of
tests/bench/kernel_bench.py (thousands).

"Edited" means the source changes on every run (a constant in a method body and in a field
initialiser), so JShell compiles a new version of the class and of the method each time:
an identical rerun would not show what replaced snippets cost.
"""
from __future__ import annotations

import re
import statistics

from support.processes import rss_mb  # noqa: F401 - used here and by the benchmark

# Live heap after full collections, in bytes. Two collections: the first may only queue
# finalizable and reference-processed objects that the second frees.
HEAP_PROBE = ("{ System.gc(); System.gc(); } "
              "java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()")


def edited_cell(i: int) -> str:
    """The i-th edit of a cell that declares a class and a method using it."""
    return (f"class Tally {{\n"
            f"    int step = {i % 97};\n"
            f"    int bump(int n) {{ return n + step + {i}; }}\n"
            f"}}\n"
            f"int tally(int n) {{ return new Tally().bump(n) * 2 + {i % 13}; }}\n")


def expected_tally(i: int, n: int) -> int:
    """What tally(n) returns after edited_cell(i) ran."""
    return (n + i % 97 + i) * 2 + i % 13


def mixed_cell(i: int) -> str:
    """Other cells of a session: expressions (each leaves a $N value behind), statements,
    a variable declared again, a loop."""
    kind = i % 4
    if kind == 0:
        return f"{i} * 3 + 1"
    if kind == 1:
        return f'String note = "cell {i}";'
    if kind == 2:
        return f"int acc = 0; for (int j = 0; j < {i % 50}; j++) acc += j;"
    return f"Math.max({i}, 7)"


def number(text: str | None) -> int:
    m = re.search(r"-?\d+", text or "")
    if not m:
        raise AssertionError(f"not a number: {text!r}")
    return int(m.group(0))


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


