"""Notebooks stay clean in JupyterLab: one written by the kernel and nbclient (as
`install/spindle reports --inplace` writes the shipped ones) opens unmodified and saves
byte for byte; and Shift+Tab shows the Javadoc of Spindle's own helpers."""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from support.jupyter_env import ARTIFACTS, KERNEL_NAME, REPO
from support.lab import OUTPUT_TIMEOUT, lab_page, open_notebook, save_and_wait, tab_is_dirty, wait_for_charts
from support.notebooks import run_notebook

VEGA = "application/vnd.vegalite.v5+json"
SHIPPED = REPO / "notebooks" / "01-threads-vs-processes.ipynb"
CELLS = [
    "# Charts that stay put\nA bar chart, a row of two, and some text.",
    'System.out.println("hello from a clean notebook");',
    'Chart.bar("spans 1000x").yLabel("time (ms)").bar("slow", 900).bar("fast", 0.9).build()',
    'Figure.row(Chart.bar("left").bar("a", 1).bar("b", 2).build(),\n'
    '           Chart.line("right").point("s", 1, 1).point("s", 2, 3).build())',
]


def charts(nb: dict) -> list[dict]:
    return [o["data"] for c in nb["cells"] for o in c.get("outputs", []) if VEGA in o.get("data", {})]


@pytest.fixture(scope="module")
def notebooks(spindle_install, tmp_path_factory):
    """clean.ipynb run by nbclient on the kernel and written by nbformat, as reports.sh does;
    bare.ipynb the same without the kernel's PNGs (what older outputs look like)."""
    work = tmp_path_factory.mktemp("clean-nb")
    nb = new_notebook(cells=[new_markdown_cell(CELLS[0])] + [new_code_cell(s) for s in CELLS[1:]],
                      metadata={"kernelspec": {"display_name": "Java (Spindle)", "language": "java",
                                               "name": KERNEL_NAME}})
    run_notebook(nb, work, spindle_install, 120, 90)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    nbformat.write(nb, work / "clean.ipynb")
    assert len(charts(json.loads((work / "clean.ipynb").read_text()))) == 2
    for c in nb.cells:
        for o in c.get("outputs", []):
            o.get("data", {}).pop("image/png", None)
    nbformat.write(nb, work / "bare.ipynb")
    return work / "clean.ipynb", work / "bare.ipynb"


@pytest.fixture(scope="module")
def lab(lab_server, notebooks):
    inspect = notebooks[0].parent / "inspect.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("Workers.thread")], metadata={
        "kernelspec": {"display_name": "Java (Spindle)", "language": "java", "name": KERNEL_NAME}}), inspect)
    return lab_server("lab-clean", [*notebooks, inspect, SHIPPED])


def test_without_our_png_jupyterlab_adds_one_and_dirties_the_notebook(lab):
    """The cause, shown: the Vega-Lite renderer writes a PNG into every chart output that has
    none, which marks the notebook modified; saving then stores those PNGs."""
    path = lab.root / "bare.ipynb"
    with lab_page(lab, ARTIFACTS / "jupyterlab-bare-failure.png") as page:
        open_notebook(page, lab, path.name)
        wait_for_charts(page, 2)
        page.wait_for_function("() => !!document.querySelector("
                               "'.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current.jp-mod-dirty')",
                               timeout=OUTPUT_TIMEOUT * 1000)
        saved = json.loads(save_and_wait(page, path))
    assert all("image/png" in d for d in charts(saved)), "JupyterLab added no PNG: the cause is gone?"


def test_kernel_written_notebook_opens_clean_and_saves_byte_identical(lab):
    path = lab.root / "clean.ipynb"
    before = path.read_bytes()
    with lab_page(lab, ARTIFACTS / "jupyterlab-clean-failure.png") as page:
        open_notebook(page, lab, path.name)
        wait_for_charts(page, 2)
        # the bare notebook turned dirty within this much; give this one the same chance
        page.wait_for_timeout(3000)  # a negative check: nothing must happen in this time
        assert not tab_is_dirty(page), "the notebook is marked modified right after opening"
        after = save_and_wait(page, path)
    assert after == before, _diff(before, after)


def test_shipped_notebook_opens_clean_and_saves_byte_identical(lab):
    path = lab.root / SHIPPED.name
    before = path.read_bytes()
    if not all("image/png" in d for d in charts(json.loads(before))):
        pytest.skip(f"{SHIPPED.name} holds outputs from before charts carried their own PNG: "
                    "regenerate it with install/spindle reports --inplace")
    with lab_page(lab, ARTIFACTS / "jupyterlab-shipped-failure.png", height=1000) as page:
        open_notebook(page, lab, path.name)
        wait_for_charts(page, 1)
        page.wait_for_timeout(3000)  # a negative check: nothing must happen in this time
        assert not tab_is_dirty(page), "the shipped notebook is marked modified right after opening"
        after = save_and_wait(page, path)
    assert after == before, _diff(before, after)


def test_shift_tab_shows_the_javadoc_of_a_spindle_helper(lab):
    from playwright.sync_api import expect

    with lab_page(lab, ARTIFACTS / "jupyterlab-inspect-failure.png") as page:
        open_notebook(page, lab, "inspect.ipynb")
        editor = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-editor").first
        editor.click()
        page.keyboard.press("End")
        tooltip = page.locator(".jp-Tooltip")
        # the kernel answers once it has started; ask again until the tooltip shows (bounded)
        for _ in range(12):
            page.keyboard.press("Shift+Tab")
            try:
                expect(tooltip).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                editor.click()
                page.keyboard.press("End")
        expect(tooltip).to_contain_text("thread(", timeout=OUTPUT_TIMEOUT * 1000)
        expect(tooltip).to_contain_text("A platform thread running")
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-inspect.png"))


def _diff(before: bytes, after: bytes) -> str:
    import difflib
    a = before.decode("utf-8", "replace").splitlines()
    b = after.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(a, b, "before", "after", lineterm="", n=1))
    return f"{len(before)} -> {len(after)} bytes:\n" + "\n".join(line[:200] for line in lines[:40])
