"""Key facts of the shipped notebooks, read from their own outputs.

One module per notebook, named after it (notebooks/01-threads-vs-processes.ipynb ->
notebook_facts/n01_threads_vs_processes.py, see module_for), with one function:

    def check(nb, claims: dict[str, dict], machine: dict) -> None

nb is the executed notebook (nbformat), claims maps each Claim id shown in it to its JSON
form {"id", "statement", "verdict", "measured_verdict", "because", "load", "values": {name:
number or text}}, and machine is the JSON of Machine.describe() ({"cores", "java_release",
"jdk", "cpu", "memory_mb", "python"}). check() asserts with plain `assert`; the helpers below
keep that short.

A claim about parallelism needs free cores (Claim.needsCores): its "load" says how many it
needs and how many other programs left free while its numbers were measured. On a busy machine
(or one with fewer cores than it needs) its verdict is INCONCLUSIVE, and `verdicts` accepts that
in place of the expected one; the numbers behind such a claim prove nothing, so checks of them
go under `if decided(claims, id):`.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

CLAIM_MIME = "application/vnd.spindle.claim+json"
MACHINE_MIME = "application/vnd.spindle.machine+json"
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def module_for(notebook: Path):
    """The facts module of a notebook: '01-threads-vs-processes' -> n01_threads_vs_processes."""
    name = "n" + re.sub(r"[^0-9A-Za-z]+", "_", notebook.stem)
    return importlib.import_module(f"notebook_facts.{name}")


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def outputs(nb):
    for c in code_cells(nb):
        yield from c.get("outputs", [])


def claims_of(nb) -> dict[str, dict]:
    found = {}
    for o in outputs(nb):
        data = o.get("data", {})
        if CLAIM_MIME in data:
            claim = data[CLAIM_MIME]
            assert claim["id"] not in found, f"claim {claim['id']!r} is shown twice"
            found[claim["id"]] = claim
    return found


def machine_of(nb) -> dict | None:
    for o in outputs(nb):
        if MACHINE_MIME in o.get("data", {}):
            return o["data"][MACHINE_MIME]
    return None


def charts_of(nb) -> list[dict]:
    return [o["data"] for o in outputs(nb) if VEGALITE_MIME in o.get("data", {})]


def stdout_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def cell_with(nb, marker: str):
    """The one code cell whose source contains `marker`."""
    found = [c for c in code_cells(nb) if marker in c.source]
    assert len(found) == 1, f"expected one code cell containing {marker!r}, found {len(found)}"
    return found[0]


DECIDED = ("HOLDS", "CPYTHON_ONLY", "WRONG")


def machine_busy(claim: dict) -> bool:
    """True when the claim is inconclusive because fewer cores were free than it needs: it
    declared the cores it needs, its load says busy, and the numbers alone gave a verdict."""
    load = claim.get("load") or {}
    return (claim.get("verdict") == "INCONCLUSIVE" and load.get("busy") is True
            and load.get("cores_needed", 0) >= 1 and claim.get("measured_verdict") in DECIDED)


def decided(claims: dict[str, dict], claim_id: str) -> bool:
    """True when the claim's verdict comes from its numbers (not inconclusive: machine busy)."""
    assert claim_id in claims, f"claim {claim_id!r} not shown; shown: {sorted(claims)}"
    return claims[claim_id].get("verdict") != "INCONCLUSIVE"


def inconclusive(claims: dict[str, dict]) -> list[str]:
    """What each inconclusive claim measured under, for the test report."""
    return [f"{k}: {(c.get('load') or {}).get('free_cores')} of {(c.get('load') or {}).get('cores')} cores free,"
            f" needs {(c.get('load') or {}).get('cores_needed')}; the numbers alone said {c.get('measured_verdict')}"
            for k, c in claims.items() if c.get("verdict") == "INCONCLUSIVE"]


def verdicts(claims: dict[str, dict], expected: dict[str, str]) -> None:
    """Every expected claim is shown with the expected verdict (HOLDS, CPYTHON_ONLY, WRONG), or
    is inconclusive because the machine was busy while it was measured; never another verdict."""
    missing = sorted(set(expected) - set(claims))
    assert not missing, f"claims not shown: {missing}; shown: {sorted(claims)}"
    wrong = {k: (claims[k].get("verdict"), v) for k, v in expected.items()
             if claims[k].get("verdict") != v and not machine_busy(claims[k])}
    assert not wrong, "verdicts (shown, expected): " + "; ".join(
        f"{k}: {got} != {want} ({claims[k].get('values')}; load {claims[k].get('load')})"
        for k, (got, want) in wrong.items())


def needs_cores(claims: dict[str, dict], cores: int, *claim_ids: str) -> None:
    """Each of these claims rests on a speed-up, so it declares the free cores it needs and
    reports how busy the machine was while it was measured."""
    for k in claim_ids:
        load = claims[k].get("load")
        assert load and load.get("cores_needed") == cores, f"{k}: load {load}, expected {cores} cores needed"
        assert "busy" in load, load   # free_cores too, where /proc can be read


def value(claims: dict[str, dict], claim_id: str, name: str):
    values = claims[claim_id].get("values", {})
    assert name in values, f"claim {claim_id!r} has no value {name!r}; it has {sorted(values)}"
    return values[name]
