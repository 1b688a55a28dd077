"""The shipped notebooks (notebooks/*.ipynb), as a reader meets them.

- nbclient runs each one top to bottom on a fresh kernel, from the repository's copy: no
  error output, within the issue's bound of 3 minutes, the machine table at the top, and its
  key facts read back from its own outputs (tests/notebook_facts/, one module per notebook).
- nbconvert exports each executed notebook to HTML with every chart as an SVG image.
- The committed copies carry the outputs of a reference run (so a reader sees the charts before
  running anything), and `install/spindle reports --no-execute` turns all of them into HTML.
- JupyterLab in headless Chromium opens each one, runs all cells, shows no error, and the test
  saves a screenshot of its first chart (tests/artifacts/NAME-first-chart.png).
"""
from __future__ import annotations

import subprocess
import time
import warnings
from pathlib import Path

import nbformat
import pytest

import notebook_facts as facts
from support.jupyter_env import ARTIFACTS, DISPLAY_NAME, REPO
from support.lab import KERNEL_DEAD, KERNEL_TIMEOUT, OUTPUT_TIMEOUT, lab_page, menu, run_until_started
from support.notebooks import export_html, run_notebook, svg_images, svg_texts

NOTEBOOKS_DIR = REPO / "notebooks"
EXPECTED = ["00-start-here", "01-threads-vs-processes", "02-memory-pids-and-ipc",
            "03-showdown-fact-check", "04-timing-sleeps-and-sums", "05-locks-queues-and-many-processes"]
NOTEBOOK_BUDGET = 180.0   # the bound for one notebook, top to bottom, on 2 cores
CELL_TIMEOUT = 170
STARTUP_TIMEOUT = 90
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_the_six_notebooks_ship():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


# ----------------------------------------------------------------- nbclient runs

_runs: dict[str, tuple] = {}


def executed(path: Path, install, tmp_path_factory):
    """The notebook executed once per session: (notebook, seconds, path of the executed copy)."""
    if path.stem not in _runs:
        work = tmp_path_factory.mktemp("nb-" + path.stem)
        nb = nbformat.read(path, as_version=4)
        for cell in facts.code_cells(nb):
            cell.outputs, cell.execution_count = [], None
        t0 = time.monotonic()
        nb = run_notebook(nb, work, install, CELL_TIMEOUT, STARTUP_TIMEOUT)
        elapsed = time.monotonic() - t0
        out = work / f"{path.stem}.executed.ipynb"
        nbformat.write(nb, out)
        _runs[path.stem] = (nb, elapsed, out)
    return _runs[path.stem]


def errors_in(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                found.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}\n"
                             + "\n".join(o.get("traceback", []))[:2000])
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_clean_within_budget(path, spindle_install, tmp_path_factory):
    nb, elapsed, _ = executed(path, spindle_install, tmp_path_factory)
    assert not errors_in(nb), "\n".join(errors_in(nb))
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is None]
    assert not unrun, f"code cells not run: {unrun}"
    assert elapsed < NOTEBOOK_BUDGET, f"{path.name} took {elapsed:.0f} s (bound: {NOTEBOOK_BUDGET:.0f} s)"
    machine = facts.machine_of(nb)
    assert machine and machine["cores"] >= 1 and machine["java_release"] >= 17, machine
    first_code = facts.code_cells(nb)[0]
    assert "Machine.describe()" in first_code.source, "the machine table comes first"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_key_facts(path, spindle_install, tmp_path_factory):
    nb, _, _ = executed(path, spindle_install, tmp_path_factory)
    claims = facts.claims_of(nb)
    for claim in claims.values():
        # A verdict from the numbers, or "inconclusive: machine busy" with the load that made it so.
        assert claim.get("verdict") in facts.DECIDED or facts.machine_busy(claim), claim
        assert claim.get("measured_verdict") in facts.DECIDED, claim
    facts.module_for(path).check(nb, claims, facts.machine_of(nb))
    busy = facts.inconclusive(claims)
    if busy:
        # Not a failure: the machine was too busy to judge these. Say so in the test report.
        warnings.warn(f"{path.stem}: inconclusive (machine busy): " + "; ".join(busy), stacklevel=1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_html_export_has_every_chart(path, spindle_install, tmp_path_factory, tmp_path):
    nb, _, executed_path = executed(path, spindle_install, tmp_path_factory)
    charts = facts.charts_of(nb)
    assert charts, f"{path.name} shows no chart"
    page = export_html(executed_path, tmp_path, path.stem, spindle_install.env, timeout=180)
    images = svg_images(page)
    assert len(images) >= len(charts), f"{len(charts)} charts, {len(images)} SVG images in the HTML"
    svg_text = ["".join(svg_texts(svg)) for svg in images]
    for chart in charts:
        titles = chart_titles(chart[facts.VEGALITE_MIME])
        assert titles, "every chart has a title"
        for title in titles:
            assert any(title in text for text in svg_text), f"chart {title!r} is not in the HTML"


def chart_titles(spec: dict) -> list[str]:
    """The titles of a Vega-Lite spec: its own, or those of the charts it puts side by side."""
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    if title:
        return [title]
    return [t for part in spec.get("hconcat", []) + spec.get("vconcat", []) for t in chart_titles(part)]


# ----------------------------------------------------------- committed outputs

@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_with_reference_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "spindle"
    cells = facts.code_cells(nb)
    unrun = [i for i, c in enumerate(cells) if c.execution_count is None]
    assert not unrun, f"code cells without reference outputs: {unrun} (run install/spindle reports --inplace)"
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "outputs of one top-to-bottom run"
    assert not errors_in(nb), "\n".join(errors_in(nb))
    assert facts.machine_of(nb), "the machine of the reference run is shown"
    assert facts.charts_of(nb), "the reference run's charts are there"


def test_reports_command_exports_all_committed_notebooks(spindle_install, tmp_path):
    out = tmp_path / "reports"
    proc = subprocess.run(["bash", str(REPO / "install" / "spindle"), "reports", "--no-execute",
                           "--pdf", "none", "--out", str(out)],
                          env=spindle_install.env, cwd=REPO, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout
    for path in NOTEBOOKS:
        page = (out / f"{path.stem}.html").read_text(encoding="utf-8")
        charts = facts.charts_of(nbformat.read(path, as_version=4))
        assert len(svg_images(page)) >= len(charts), path.name


# ----------------------------------------------------------------- JupyterLab

LAB_RUN_TIMEOUT = 300.0   # a whole notebook in the browser, kernel start included, on a busy machine


@pytest.fixture(scope="module")
def notebooks_lab(lab_server):
    return lab_server("lab-notebooks", NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_in_jupyterlab(path, notebooks_lab):
    from playwright.sync_api import expect

    lab = notebooks_lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{path.stem}-first-chart.png"
    shot.unlink(missing_ok=True)
    code_cells = len(facts.code_cells(nbformat.read(path, as_version=4)))
    with lab_page(lab, ARTIFACTS / f"{path.stem}-failure.png") as page:
        try:
            # A workspace of its own, reset: JupyterLab would otherwise reopen the notebooks
            # of the earlier tests next to this one.
            page.goto(f"{lab.url}/lab/workspaces/{path.stem}/tree/{path.name}?reset&token={lab.token}",
                      wait_until="domcontentloaded", timeout=60_000)
            panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            expect(panel.locator(".jp-Toolbar-kernelName")).to_contain_text(
                DISPLAY_NAME, timeout=KERNEL_TIMEOUT * 1000)
            notebook = panel.locator(".jp-Notebook")
            cells = notebook.locator(".jp-CodeCell")
            expect(cells).to_have_count(code_cells, timeout=OUTPUT_TIMEOUT * 1000)

            # The committed outputs are there before anything runs; clear them so that what
            # the test sees next is this run's.
            menu(page, "Edit", "Clear Outputs of All Cells")
            expect(notebook.locator(".jp-OutputArea-output")).to_have_count(0, timeout=OUTPUT_TIMEOUT * 1000)

            prompts = cells.locator(".jp-InputArea-prompt")
            run_until_started(lambda: menu(page, "Run", "Run All Cells"), prompts.first)
            errors = notebook.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            deadline = time.monotonic() + LAB_RUN_TIMEOUT
            # Done when the last cell has its number; an error output or a dead kernel ends
            # the wait at once (JupyterLab stops a run-all at the first error).
            while not prompts.last.text_content().strip().rstrip(":").strip("[]").isdigit():
                if errors.count():
                    raise AssertionError("error output in JupyterLab: " + errors.first.inner_text()[:2000])
                if any(s in lab.log(tail=200_000) for s in KERNEL_DEAD):
                    raise AssertionError(f"the kernel died under JupyterLab:\n{lab.log()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{path.name} did not finish within {LAB_RUN_TIMEOUT:.0f} s")
                page.wait_for_timeout(500)  # next poll; the deadline bounds the loop
            expect(errors).to_have_count(0)
            for k in range(code_cells):
                expect(prompts.nth(k)).to_have_text(f"[{k + 1}]:", timeout=OUTPUT_TIMEOUT * 1000)

            chart = notebook.locator(".jp-OutputArea-output.jp-RenderedVegaLite").first
            chart.scroll_into_view_if_needed()
            drawn = chart.locator(".vega-embed .chart-wrapper canvas, .vega-embed .chart-wrapper svg").first
            expect(drawn).to_be_visible()
            chart.screenshot(path=str(shot))
        finally:
            # Leave the server ready for the next notebook: shut this kernel down.
            try:
                menu(page, "Kernel", "Shut Down Kernel")
            except Exception:  # noqa: BLE001 - the server's own shutdown ends it anyway
                pass
    assert shot.is_file() and shot.stat().st_size > 1000
