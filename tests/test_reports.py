"""install/reports.sh (install/spindle reports): executes notebooks on the spindle kernel and
writes HTML reports, and PDF ones when a PDF route is available.

Runs on temporary notebook and report directories (--notebooks / --out), never on the
repository's notebooks/ or reports/, with the kernelspec of the isolated test install.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from support.jupyter_env import KERNEL_NAME, REPO
from support.lab import CHROMIUM
from support.notebooks import SVG_MAX_BYTES, TIMING_CHART_COUNT as CHART_COUNT, TIMING_NOTEBOOK as TIMING, \
    svg_images, svg_texts
from support.processes import end_process

REPORTS_SH = REPO / "install" / "reports.sh"
SPINDLE = REPO / "install" / "spindle"
RUN_TIMEOUT = 600  # a whole reports run; cells have their own --timeout


def run_reports(env: dict, *args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    """Runs install/reports.sh --no-build ARGS in its own process group; on timeout the
    whole group (the Python runner and its kernels) is killed."""
    proc = subprocess.Popen(["bash", str(REPORTS_SH), "--no-build", *args], env=env, cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        end_process(proc, group=True, wait=30)
        out, _ = proc.communicate(timeout=30)
        raise AssertionError(f"reports.sh did not finish within {timeout}s:\n{out}")
    finally:
        end_process(proc, group=True, wait=30)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, None)


def expected_pdf_route() -> tuple[str | None, str]:
    """What reports.sh --pdf auto should pick here: (route or None, why)."""
    try:
        import playwright  # noqa: F401
        has_playwright = True
    except ImportError:
        has_playwright = False
    chromium = os.environ.get("SPINDLE_CHROMIUM") or CHROMIUM
    if has_playwright and os.access(chromium, os.X_OK):
        return "webpdf", f"Chromium {chromium} via Playwright"
    if shutil.which("xelatex") and shutil.which("pandoc") and \
            (shutil.which("rsvg-convert") or shutil.which("inkscape")):
        return "latex", "xelatex, pandoc and an SVG converter"
    return None, ("playwright missing" if not has_playwright else f"no {chromium}") + \
        "; no xelatex/pandoc/rsvg-convert"


def write_notebook(path: Path, *sources: str) -> None:
    nb = new_notebook(cells=[new_code_cell(s) for s in sources], metadata={
        "kernelspec": {"display_name": "Java (Spindle)", "language": "java", "name": KERNEL_NAME},
        "language_info": {"name": "java"}})
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    """A notebooks dir with timing.ipynb, a failing and a too-slow notebook; a reports dir."""
    root = tmp_path_factory.mktemp("reports")
    nbs, out = root / "notebooks", root / "reports"
    nbs.mkdir()
    shutil.copy(TIMING, nbs / "timing.ipynb")
    write_notebook(nbs / "broken.ipynb", "int x = 1;",
                   'throw new IllegalStateException("boom from the report test");')
    write_notebook(nbs / "slow.ipynb", "int y = 2;", "Thread.sleep(300_000);")
    return nbs, out


@pytest.fixture(scope="module")
def timing_report(spindle_install, dirs):
    """reports.sh --inplace timing, once for the module."""
    nbs, out = dirs
    before = {p.name: p.read_bytes() for p in nbs.iterdir()}
    res = run_reports(dict(spindle_install.env), "--notebooks", str(nbs), "--out", str(out),
                      "--inplace", "--timeout", "120", "timing")
    return res, nbs, out, before, spindle_install


def test_report_of_timing_notebook(timing_report):
    res, nbs, out, _, install = timing_report
    assert res.returncode == 0, res.stdout
    assert "timing.ipynb: ok" in res.stdout and "1 of 1 notebook(s) ok" in res.stdout, res.stdout
    # the isolated test install's kernelspec, the one JUPYTER_PATH points at
    spec_dir = Path(install.env["JUPYTER_DATA_DIR"]) / "kernels" / KERNEL_NAME
    assert f"kernel: '{KERNEL_NAME}' from {spec_dir}" in res.stdout, res.stdout
    # only the notebook named on the command line
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".html") == ["timing.html"]

    page = (out / "timing.html").read_text(encoding="utf-8")
    images = svg_images(page)
    assert len(images) == CHART_COUNT, f"{len(images)} SVG images in timing.html"
    titles = [t for svg in images for t in svg_texts(svg) if t.startswith("Primes below 1,000,000")]
    assert len(titles) == CHART_COUNT, titles
    assert all(len(svg.encode()) <= SVG_MAX_BYTES for svg in images)
    assert '<span class="kt">long</span>' in page, "no Java highlighting in the report"
    assert "CPU times: process" in page


def test_report_pdf_or_reason(timing_report):
    res, _, out, _, _ = timing_report
    route, why = expected_pdf_route()
    pdf = out / "timing.pdf"
    if route is None:
        assert not pdf.exists()
        assert "PDF skipped: no PDF route (webpdf: " in res.stdout, \
            f"reports.sh should say why there is no PDF ({why}):\n{res.stdout}"
        return
    assert f"PDF route: {route}" in res.stdout, res.stdout
    assert "timing.pdf" in res.stdout, res.stdout
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], "not a complete PDF"
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2, "expected 2+ pages"
    if route == "webpdf":
        # Chromium draws each <img> SVG as a vector form XObject
        assert data.count(b"/Subtype /Form") >= CHART_COUNT, "the charts are missing from the PDF"


def test_inplace_saves_the_executed_notebook(timing_report):
    res, nbs, _, before, _ = timing_report
    nb = nbformat.read(nbs / "timing.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    charts = [o for c in code for o in c.outputs
              if "application/vnd.vegalite.v5+json" in o.get("data", {})
              and "image/svg+xml" in o.get("data", {})]
    assert len(charts) == CHART_COUNT
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    # the notebooks not named were not touched
    for name in ("broken.ipynb", "slow.ipynb"):
        assert (nbs / name).read_bytes() == before[name], f"{name} was rewritten"


def test_failures_exit_nonzero_and_are_not_saved(spindle_install, dirs, timing_report):
    nbs, out = dirs
    before = {n: (nbs / n).read_bytes() for n in ("broken.ipynb", "slow.ipynb")}
    res = run_reports(dict(spindle_install.env), "--notebooks", str(nbs), "--out", str(out),
                      "--inplace", "--pdf", "none", "--timeout", "20", "broken", "slow")
    assert res.returncode == 1, res.stdout
    assert "broken.ipynb: FAILED" in res.stdout and "boom from the report test" in res.stdout, \
        res.stdout
    assert "slow.ipynb: FAILED" in res.stdout and "20 s timeout" in res.stdout, res.stdout
    assert "0 of 2 notebook(s) ok; failed: broken, slow" in res.stdout, res.stdout
    assert "PDF skipped (--pdf none)" in res.stdout
    # the HTML still shows the failure; the notebooks stay as they were
    assert "boom from the report test" in (out / "broken.html").read_text(encoding="utf-8")
    for name, data in before.items():
        assert (nbs / name).read_bytes() == data, f"a failed {name} was saved in place"
    assert not (out / "broken.pdf").exists()


def test_no_notebooks_is_not_an_error(tmp_path):
    empty = tmp_path / "notebooks"
    empty.mkdir()
    res = run_reports(dict(os.environ), "--notebooks", str(empty), "--out", str(tmp_path / "r"),
                      timeout=60)
    assert res.returncode == 0, res.stdout
    assert f"no notebooks in {empty}" in res.stdout, res.stdout
    assert not (tmp_path / "r").exists(), "nothing to report: no reports dir either"


def test_usage_errors(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    res = run_reports(dict(os.environ), "--notebooks", str(tmp_path), "nope", timeout=60)
    assert res.returncode == 2 and "no notebook" in res.stdout and "nope.ipynb" in res.stdout
    res = run_reports(dict(os.environ), "--timeout", "soon", timeout=60)
    assert res.returncode == 2 and "--timeout" in res.stdout
    res = run_reports(dict(os.environ), "--pdf", "word", timeout=60)
    assert res.returncode == 2 and "--pdf" in res.stdout
    res = run_reports(dict(os.environ), "--paper", "a5", timeout=60)
    assert res.returncode == 2 and "--paper wants a4 or letter" in res.stdout, res.stdout


def test_spindle_reports_subcommand_help():
    proc = subprocess.run(["bash", str(SPINDLE), "help"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "reports [--inplace]" in proc.stdout, proc.stdout
    proc = subprocess.run(["bash", str(SPINDLE), "reports", "--help"], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    for word in ("--inplace", "--timeout", "--pdf", "--paper", "--notebooks", "--out", "reports/NAME.html"):
        assert word in proc.stdout, word


LONG_TAIL = "tailwordattheendofalongline"


def pdf_words(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[str, float]]]:
    """Page sizes (w, h) in points and every word with its right edge, from pdftotext -bbox."""
    import re
    proc = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    pages = [(float(w), float(h)) for w, h in
             re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', proc.stdout)]
    words = [(html_unescape(w), float(x)) for x, w in
             re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                        proc.stdout)]
    return pages, words


def html_unescape(s: str) -> str:
    import html
    return html.unescape(s)


@pytest.mark.parametrize("paper,size", [("a4", (595.9, 842.9)), ("letter", (612.0, 792.0))])
def test_pdf_wraps_long_code_lines_on_the_chosen_paper(tmp_path, paper, size):
    """A 200-character code line and a long output line wrap inside the page instead of being
    cut at its right edge; --paper picks A4 or Letter. Exports the notebook as it is
    (--no-execute), so no kernel runs."""
    route, why = expected_pdf_route()
    if route != "webpdf":
        pytest.skip(f"--paper needs the webpdf route: {why}")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    code = "String s = " + " + ".join(f'"part{i:02d}"' for i in range(22)) + f' + "{LONG_TAIL}";'
    assert len(code) > 200
    nb = new_notebook(cells=[new_code_cell(code)], metadata={
        "kernelspec": {"display_name": "Java (Spindle)", "language": "java", "name": KERNEL_NAME},
        "language_info": {"name": "java"}})
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "stream", name="stdout", text=" ".join(f"out{i:02d}" for i in range(40)) + " outputtail\n")]
    nbformat.write(nb, nbs / "long.ipynb")
    res = run_reports(dict(os.environ), "--no-execute", "--notebooks", str(nbs), "--out",
                      str(tmp_path / "out"), "--paper", paper, timeout=180)
    assert res.returncode == 0, res.stdout
    assert f"{paper} paper" in res.stdout, res.stdout
    pages, words = pdf_words(tmp_path / "out" / "long.pdf")
    assert pages and all(abs(w - size[0]) < 2 and abs(h - size[1]) < 2 for w, h in pages), pages
    width = pages[0][0]
    for needle in (LONG_TAIL, "outputtail", "part00", "part21", "out39"):
        hits = [x for w, x in words if needle in w]
        assert hits, f"{needle} is not in the PDF text: {[w for w, _ in words]}"
        assert max(hits) < width, f"{needle} ends at x={max(hits)}, past the page ({width})"
    # wrapped, not shrunk: the code runs over several lines of the page
    assert len(words) > 20
