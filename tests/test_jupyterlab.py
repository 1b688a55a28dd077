"""JupyterLab in a real browser: open a notebook on the spindle kernel, run a
cell, see its output. Debian chromium driven by Playwright."""
from __future__ import annotations

import pytest

from support.jupyter_env import ARTIFACTS, REPO
from support.lab import KERNEL_TIMEOUT, OUTPUT_TIMEOUT, lab_page, open_notebook, run_until_started, \
    wait_for_output

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
