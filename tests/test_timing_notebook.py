"""tests/notebooks/timing.ipynb on the spindle kernel: %%time, %timeit, a Benchmark, a
%%python cell and a chart that puts CPython next to the Java variants.

Through nbclient: no errors, the report lines have their documented form, and every chart
is one output holding Vega-Lite, SVG and text. Through nbconvert: each chart survives in the
HTML as an SVG image, next to Java-highlighted code. Through JupyterLab in Chromium: the
charts render as interactive Vega views (screenshot: tests/artifacts/timing-chart.png).
"""
from __future__ import annotations

import json
import re
import shutil
import struct
from pathlib import Path

import nbformat
import pytest

from support import notebooks
from support.jupyter_env import ARTIFACTS, KERNEL_NAME
from support.lab import lab_page, menu, open_notebook, run_until_started, wait_for_output
from support.notebooks import SVG_MAX_BYTES, TIMING_CHART_COUNT as CHART_COUNT, TIMING_NOTEBOOK as NOTEBOOK, \
    export_html, require_jupyter, svg_images, svg_texts

CELL_TIMEOUT = 120
STARTUP_TIMEOUT = 90
PRIMES_BELOW_1M = 78498
VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"

# -------------------------------------------------------------------- helpers

_UNIT = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}
_DUR = r"(?:\d+(?:\.\d+)?|n/a) (?:s|ms|µs|ns)|0 ns|n/a"
TIME_LINE = re.compile(
    rf"^CPU times: process (?P<process>{_DUR}), children (?P<children>{_DUR}), total (?P<total>{_DUR}); "
    rf"Wall time: (?P<wall>{_DUR}); parallelism (?P<par>\d+\.\d\d)x$")
COMPILE_LINE = re.compile(rf"^Compile time: (?:{_DUR})$")
TIMEIT_LINE = re.compile(
    r"^(?P<mean>\d+(?:\.\d+)?) (?P<unit>s|ms|µs|ns) ± \d+(?:\.\d+)? (?:s|ms|µs|ns) per loop "
    r"\(mean ± std\. dev\. of 3 runs, 2 loops each\)$")
PYTHON_LINE = re.compile(
    r"^Python \[py\]: wall (?P<wall>\d+\.\d{3}) s, CPU (?P<cpu>\d+\.\d{3}) s, parallelism \d+\.\d\dx$")


def seconds(text: str) -> float:
    value, unit = text.split(" ")
    return float(value) * _UNIT[unit]


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def cell_starting(nb, prefix: str, nth: int = 0):
    found = [c for c in code_cells(nb) if c.source.startswith(prefix)]
    assert len(found) > nth, f"no code cell #{nth} starting with {prefix!r}"
    return found[nth]


def stdout_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def describe(nb) -> str:
    lines = []
    for i, c in enumerate(nb.cells):
        if c.cell_type != "code":
            continue
        outs = []
        for o in c.get("outputs", []):
            if o.get("output_type") == "stream":
                outs.append(f"{o['name']}: {o['text']!r}")
            elif o.get("output_type") == "error":
                outs.append(f"error {o.get('ename')}: {o.get('evalue')}")
            else:
                outs.append(f"{o.get('output_type')} {sorted(o.get('data', {}))}")
        lines.append(f"[{i}] {c.source.splitlines()[0]!r} -> {outs}")
    return "\n".join(lines)


def chart_outputs(nb) -> list[tuple[int, dict]]:
    """(cell index, output) of every output that carries a chart (Vega-Lite or SVG)."""
    return [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", [])
            if VEGALITE in o.get("data", {}) or SVG in o.get("data", {})]


def vegalite_title(spec: dict) -> str:
    title = spec.get("title")
    return title.get("text") if isinstance(title, dict) else title


def run_notebook(src: Path, work: Path, install) -> nbformat.NotebookNode:
    """Executes src through nbclient on the installed spindle kernel."""
    return notebooks.run_notebook(nbformat.read(src, as_version=4), work, install, CELL_TIMEOUT,
                                  STARTUP_TIMEOUT)


# ------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def executed(spindle_install, tmp_path_factory):
    """timing.ipynb executed once; (notebook, path of the executed copy, env)."""
    work = tmp_path_factory.mktemp("timing-nb")
    src = work / "timing.ipynb"
    shutil.copy(NOTEBOOK, src)
    nb = run_notebook(src, work, spindle_install)
    out = work / "timing.executed.ipynb"
    nbformat.write(nb, out)
    return nb, out, spindle_install.env


# --------------------------------------------------------------------- fixture

def test_notebook_fixture_is_clean():
    """The shipped test notebook is a spindle/java notebook without stored outputs."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL_NAME
    assert nb.metadata.kernelspec.language == "java"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code_cells(nb))
    sources = [c.source for c in code_cells(nb)]
    assert sum(s.startswith("%%time\n") for s in sources) == 2
    assert any(s.startswith("%timeit ") for s in sources)
    assert any("Benchmark.of(" in s and ".run()" in s for s in sources)
    assert any(s.startswith("%%python") and "--label py" in s.splitlines()[0] for s in sources)
    assert any("withExternal(" in s for s in sources)


# ---------------------------------------------------------------- nbclient

def test_runs_without_errors(executed):
    nb, _, _ = executed
    bad = [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
           for o in c.get("outputs", [])
           if o.get("output_type") == "error" or o.get("name") == "stderr"]
    assert not bad, f"error or stderr outputs:\n{describe(nb)}"
    counts = [c.get("execution_count") for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), counts


@pytest.mark.parametrize("nth, label", [(0, "sequential:"), (1, "2 threads:")])
def test_time_magic_line(executed, nth, label):
    nb, _, _ = executed
    cell = cell_starting(nb, "%%time\n", nth)
    lines = stdout_of(cell).splitlines()
    assert len(lines) == 3, f"expected the cell's line, the %%time line, the compile line:\n{describe(nb)}"
    # the cell's own output first, with the right answer ...
    assert re.fullmatch(rf"{re.escape(label)} +{PRIMES_BELOW_1M} primes below 1000000", lines[0]), \
        lines[0]
    # ... then the report
    m = TIME_LINE.match(lines[1])
    assert m, f"%%time line does not have the documented form: {lines[1]!r}"
    process, children, total, wall = (seconds(m[k]) for k in ("process", "children", "total", "wall"))
    par = float(m["par"])
    assert wall > 0 and process > 0 and total >= process
    assert total == pytest.approx(process + children, rel=0.02, abs=2e-9), lines[1]
    # parallelism = total CPU / wall (both printed with 3 significant digits)
    assert par > 0
    assert par == pytest.approx(total / wall, rel=0.03, abs=0.01), lines[1]
    # ... and, as IPython does, the compile time apart (not counted in the line above)
    assert COMPILE_LINE.match(lines[2]), f"no compile-time line: {lines[2]!r}"


def test_timeit_line(executed):
    nb, _, _ = executed
    cell = cell_starting(nb, "%timeit ")
    lines = stdout_of(cell).splitlines()
    assert lines, describe(nb)
    # IPython's optional "The slowest run took ..." warning may come first; the report is last
    assert all(ln.startswith("The slowest run took") for ln in lines[:-1]), lines
    m = TIMEIT_LINE.match(lines[-1])
    assert m, f"%timeit line does not have the documented form: {lines[-1]!r}"
    assert 0 < float(m["mean"]) * _UNIT[m["unit"]] < 10, lines[-1]
    assert not [o for o in cell.outputs if o.output_type == "execute_result"], describe(nb)


def test_python_cell(executed):
    nb, _, _ = executed
    cell = cell_starting(nb, "%%python")
    lines = stdout_of(cell).splitlines()
    assert lines[0] == f"CPython: {PRIMES_BELOW_1M} primes below 1000000", describe(nb)
    m = PYTHON_LINE.match(lines[-1])
    assert m, f"--time line does not have the documented form: {lines[-1]!r}"
    assert float(m["wall"]) > 0 and float(m["cpu"]) > 0, lines[-1]
    # a block statement: no value shown
    assert not [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


def test_charts_carry_vegalite_svg_and_text(executed):
    nb, _, _ = executed
    charts = chart_outputs(nb)
    assert len(charts) == CHART_COUNT, f"expected {CHART_COUNT} charts:\n{describe(nb)}"
    for i, out in charts:
        data = out["data"]
        assert {VEGALITE, SVG, "text/plain"} <= set(data), (i, sorted(data))
        spec = data[VEGALITE]
        assert isinstance(spec, dict), f"cell {i}: Vega-Lite must be JSON, not {type(spec)}"
        assert "vega-lite/v5" in spec.get("$schema", ""), spec.get("$schema")
        assert spec.get("data") or spec.get("datasets"), f"cell {i}: a spec without data"
        title = vegalite_title(spec)
        assert title, f"cell {i}: a spec without a title"
        svg = data[SVG] if isinstance(data[SVG], str) else "".join(data[SVG])
        assert len(svg.encode("utf-8")) <= SVG_MAX_BYTES, \
            f"cell {i}: SVG is {len(svg.encode())} bytes (> {SVG_MAX_BYTES})"
        assert title in svg_texts(svg), f"cell {i}: the SVG does not show the title {title!r}"


def test_benchmark_shows_one_chart_in_place_of_progress(executed):
    """run() displays progress, then replaces it with the chart: one output, no second copy."""
    nb, _, _ = executed
    cell = cell_starting(nb, "var bench = Benchmark.of(")
    outs = cell.outputs
    assert len(outs) == 1 and outs[0].output_type == "display_data", describe(nb)
    assert VEGALITE in outs[0].data, "the progress display was not replaced by the chart"
    text = outs[0].data["text/plain"]
    assert "sequential" in text and "threads" in text and "speed-up vs sequential" in text, text


def test_external_chart_puts_cpython_next_to_java(executed):
    nb, _, _ = executed
    cell = cell_starting(nb, "bench.withExternal(")
    (out,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    spec = out.data[VEGALITE]
    values = json.dumps(spec.get("data") or spec.get("datasets"))
    for label in ("sequential", "threads", "CPython"):
        assert label in values, f"{label!r} missing from the chart's data"
        assert label in svg_texts(out.data[SVG]), f"{label!r} missing from the SVG"


# ---------------------------------------------------------------- nbconvert

def test_html_export_keeps_charts_as_svg_images(executed, tmp_path):
    nb, path, env = executed
    require_jupyter()
    page = export_html(path, tmp_path, "timing", env)

    images = svg_images(page)
    titles = [vegalite_title(o["data"][VEGALITE]) for _, o in chart_outputs(nb)]
    assert len(images) == len(titles) == CHART_COUNT, \
        f"{len(images)} SVG images in the HTML for {len(titles)} charts"
    for svg, title in zip(images, titles):
        assert len(svg.encode("utf-8")) <= SVG_MAX_BYTES
        assert title in svg_texts(svg), f"SVG image without the chart title {title!r}"
    # the images are the kernel's SVGs, byte for byte
    assert images == [o["data"][SVG] for _, o in chart_outputs(nb)]

    # Java syntax highlighting (Pygments' Java lexer) and the timing lines
    assert '<span class="kt">long</span>' in page, "no Java highlighting for `long`"
    assert '<span class="k">return</span>' in page, "no Java highlighting for `return`"
    assert "CPU times: process" in page and "parallelism" in page
    assert "per loop (mean ± std. dev. of 3 runs, 2 loops each)" in page


# --------------------------------------------------------------- JupyterLab

def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def timing_lab(lab_server):
    return lab_server("lab-timing", [NOTEBOOK])


def test_charts_render_as_vega_in_jupyterlab(timing_lab):
    from playwright.sync_api import expect

    lab = timing_lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "timing-chart.png"
    shot.unlink(missing_ok=True)
    run_timeout = 240.0  # the whole notebook, kernel start included, on a busy machine
    with lab_page(lab, ARTIFACTS / "timing-chart-failure.png") as page:
        open_notebook(page, lab, "timing.ipynb")
        notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
        expect(notebook.locator(".jp-CodeCell").first).to_be_visible()

        run_until_started(lambda: menu(page, "Run", "Run All Cells"),
                          notebook.locator(".jp-CodeCell .jp-InputArea-prompt").first)

        # the last cell (withExternal) ends with the third chart
        last = notebook.locator(".jp-CodeCell").last
        # JupyterLab's Vega renderer (@jupyterlab/vega5-extension) makes the
        # output a .jp-RenderedVegaLite holding vega-embed's view
        charts = notebook.locator(".jp-OutputArea-output.jp-RenderedVegaLite")
        wait_for_output(page, last.locator(".jp-RenderedVegaLite .vega-embed"), lab,
                        run_timeout)
        expect(charts).to_have_count(CHART_COUNT)
        for k in range(CHART_COUNT):
            # vega-embed draws into a canvas (or an svg), with its actions menu
            view = charts.nth(k).locator(".vega-embed")
            expect(view).to_have_count(1)
            drawn = view.locator(".chart-wrapper canvas, .chart-wrapper svg")
            expect(drawn.first).to_be_visible()
            box = drawn.first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, box
            expect(view.locator(".vega-actions")).to_have_count(1)

        # every cell ran, none failed
        prompts = notebook.locator(".jp-CodeCell .jp-InputArea-prompt")
        expect(prompts.last).not_to_contain_text("*")
        expect(notebook.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        ).to_have_count(0)
        expect(notebook.locator(".jp-OutputArea-output", has_text="parallelism")).not_to_have_count(0)

        target = last.locator(".jp-OutputArea")
        target.scroll_into_view_if_needed()
        target.screenshot(path=str(shot))
    width, height = _png_size(shot)
    assert width > 300 and height > 200, (width, height)
