"""JupyterLab in a real browser: open a notebook on the spindle kernel, run a
cell, see its output. Debian chromium driven by Playwright.

Notebooks stay clean: one written by the kernel and nbclient (as `install/spindle reports
--inplace` writes the shipped ones) opens unmodified and saves byte for byte; and Shift+Tab
shows the Javadoc of Spindle's own helpers."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from support.jupyter_env import ARTIFACTS, KERNEL_NAME, REPO
from support.lab import KERNEL_TIMEOUT, OUTPUT_TIMEOUT, lab_page, open_notebook, run_until_started, \
    save_and_wait, tab_is_dirty, wait_for_charts, wait_for_output
from support.notebooks import run_notebook

NOTEBOOK = REPO / "tests" / "notebooks" / "hello.ipynb"


@pytest.fixture(scope="module")
def lab(lab_server):
    return lab_server("lab-root", [NOTEBOOK])


def test_run_cell_in_jupyterlab(lab):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "jupyterlab.png"
    with lab_page(lab, ARTIFACTS / "jupyterlab-failure.png", height=800) as page:
        open_notebook(page, lab, "hello.ipynb")

        cell = page.locator(".jp-Notebook .jp-CodeCell").first
        expect(cell).to_contain_text("hello from spindle")
        editor = cell.locator(".jp-InputArea-editor")

        def run_cell():
            editor.click()
            page.keyboard.press("Shift+Enter")

        run_until_started(run_cell, cell.locator(".jp-InputArea-prompt"))

        out = cell.locator(".jp-OutputArea-output")
        wait_for_output(page, out.filter(has_text="hello from spindle"), lab, KERNEL_TIMEOUT)
        expect(out.filter(has_text="hello from spindle")).to_have_count(1)
        result = cell.locator(".jp-OutputArea-executeResult .jp-OutputArea-output")
        expect(result).to_have_text("42", timeout=OUTPUT_TIMEOUT * 1000)
        expect(cell.locator(".jp-InputArea-prompt")).to_contain_text("[1]")
        assert not cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").count()
        page.screenshot(path=str(shot), full_page=False)
    assert shot.is_file() and shot.stat().st_size > 0


# ---------------------------------------------------------------- notebooks that stay clean

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
def clean_notebooks(spindle_install, tmp_path_factory):
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
def clean_lab(lab_server, clean_notebooks):
    inspect = clean_notebooks[0].parent / "inspect.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("Workers.thread"), new_code_cell("Math.ab")], metadata={
        "kernelspec": {"display_name": "Java (Spindle)", "language": "java", "name": KERNEL_NAME}}), inspect)
    return lab_server("lab-clean", [*clean_notebooks, inspect, SHIPPED])


def test_without_our_png_jupyterlab_adds_one_and_dirties_the_notebook(clean_lab):
    """The cause, shown: the Vega-Lite renderer writes a PNG into every chart output that has
    none, which marks the notebook modified; saving then stores those PNGs."""
    path = clean_lab.root / "bare.ipynb"
    with lab_page(clean_lab, ARTIFACTS / "jupyterlab-bare-failure.png") as page:
        open_notebook(page, clean_lab, path.name, reset=True)
        wait_for_charts(page, 2)
        page.wait_for_function("() => !!document.querySelector("
                               "'.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current.jp-mod-dirty')",
                               timeout=OUTPUT_TIMEOUT * 1000)
        saved = json.loads(save_and_wait(page, path))
    assert all("image/png" in d for d in charts(saved)), "JupyterLab added no PNG: the cause is gone?"


def test_kernel_written_notebook_opens_clean_and_saves_byte_identical(clean_lab):
    path = clean_lab.root / "clean.ipynb"
    before = path.read_bytes()
    with lab_page(clean_lab, ARTIFACTS / "jupyterlab-clean-failure.png") as page:
        open_notebook(page, clean_lab, path.name, reset=True)
        wait_for_charts(page, 2)
        # the bare notebook turned dirty within this much; give this one the same chance
        page.wait_for_timeout(3000)  # a negative check: nothing must happen in this time
        assert not tab_is_dirty(page), "the notebook is marked modified right after opening"
        after = save_and_wait(page, path)
    assert after == before, _diff(before, after)


def test_shipped_notebook_opens_clean_and_saves_byte_identical(clean_lab):
    path = clean_lab.root / SHIPPED.name
    before = path.read_bytes()
    if not all("image/png" in d for d in charts(json.loads(before))):
        pytest.skip(f"{SHIPPED.name} holds outputs from before charts carried their own PNG: "
                    "regenerate it with install/spindle reports --inplace")
    with lab_page(clean_lab, ARTIFACTS / "jupyterlab-shipped-failure.png", height=1000) as page:
        open_notebook(page, clean_lab, path.name, reset=True)
        wait_for_charts(page, 1)
        page.wait_for_timeout(3000)  # a negative check: nothing must happen in this time
        assert not tab_is_dirty(page), "the shipped notebook is marked modified right after opening"
        after = save_and_wait(page, path)
    assert after == before, _diff(before, after)


def test_shift_tab_shows_the_javadoc_of_a_spindle_helper(clean_lab):
    from playwright.sync_api import expect

    with lab_page(clean_lab, ARTIFACTS / "jupyterlab-inspect-failure.png") as page:
        open_notebook(page, clean_lab, "inspect.ipynb", reset=True)
        editor = page.locator(".jp-Notebook:visible .jp-CodeCell .jp-InputArea-editor").first
        editor.click()
        page.keyboard.press("End")
        tooltip = page.locator(".jp-Tooltip:visible")
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


def test_tab_completion_shows_the_kind(clean_lab):
    """The kernel's _jupyter_types_experimental metadata reaches JupyterLab's completer: the
    match "abs" (not "abs(") shows its kind, "function". (JupyterLab 4.6 reads only the kind
    from that metadata; it asks for documentation with an inspect request.)"""
    from playwright.sync_api import expect

    with lab_page(clean_lab, ARTIFACTS / "jupyterlab-complete-failure.png") as page:
        open_notebook(page, clean_lab, "inspect.ipynb", reset=True)
        editor = page.locator(".jp-Notebook:visible .jp-CodeCell .jp-InputArea-editor").nth(1)
        completer = page.locator(".jp-Completer:visible")
        for _ in range(12):  # the kernel answers once it has started; ask again (bounded)
            editor.click()
            page.keyboard.press("End")
            page.keyboard.press("Tab")
            try:
                expect(completer).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                page.keyboard.press("Escape")
        item = completer.locator(".jp-Completer-item", has_text="abs").first
        expect(item).to_be_visible(timeout=OUTPUT_TIMEOUT * 1000)
        expect(item.locator(".jp-Completer-match")).to_have_text("abs")
        expect(item.locator(".jp-Completer-typeExtended")).to_have_text("function")
        expect(item.locator(".jp-Completer-type")).to_have_text("f")
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-completion.png"))


def _diff(before: bytes, after: bytes) -> str:
    import difflib
    a = before.decode("utf-8", "replace").splitlines()
    b = after.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(a, b, "before", "after", lineterm="", n=1))
    return f"{len(before)} -> {len(after)} bytes:\n" + "\n".join(line[:200] for line in lines[:40])
