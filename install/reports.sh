#!/usr/bin/env bash
# Runs the notebooks in notebooks/ on the spindle kernel and writes HTML (and PDF) reports.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${SPINDLE_VENV:-$REPO/.venv}"
JAR="$REPO/kernel/target/spindle-kernel.jar"
KERNEL_NAME="spindle"

usage() {
  cat <<'EOF'
Usage: install/reports.sh [options] [NAME...]
       install/spindle reports [options] [NAME...]

Executes every notebook in notebooks/*.ipynb (or only notebooks/NAME.ipynb for
each NAME given) from a fresh spindle kernel, top to bottom, and writes
reports/NAME.html and, when a PDF route is available, reports/NAME.pdf.
Exits 1 if any notebook fails (an error output, a cell timeout, a dead kernel
or a failed export), 2 on a usage error, 0 otherwise (also when there are no
notebooks). A failed notebook still gets its HTML report, showing the error.

Options:
  --inplace          also save each executed notebook back over its .ipynb
                     (regenerates the shipped notebooks' reference outputs);
                     a notebook that failed is never saved back
  --no-execute       export the outputs the notebooks already hold (the committed
                     reference run) without running them; no kernel is started
  --timeout SECONDS  time limit per cell (default 300)
  --pdf ROUTE        auto (default): webpdf if possible, else latex, else none;
                     webpdf: Chromium prints the HTML (Playwright + a chromium binary);
                     latex:  nbconvert --to pdf (xelatex, pandoc, and rsvg-convert
                             or inkscape for SVG charts);
                     none:   HTML only
  --paper SIZE       letter (default) or a4: the PDF page size (webpdf route;
                     the latex route prints on Letter only). Long code and
                     output lines wrap at the page edge instead of being cut.
  --notebooks DIR    where the notebooks are (default notebooks/; env SPINDLE_NOTEBOOKS_DIR)
  --out DIR          where the reports go (default reports/; env SPINDLE_REPORTS_DIR)
  --java PATH        the java to install the kernelspec with, if it is missing
  --no-build         do not rebuild kernel/target/spindle-kernel.jar when it is stale
  -h, --help         show this help

Environment: SPINDLE_CHROMIUM (the chromium for --pdf webpdf; default
/usr/bin/chromium, else chromium on PATH).

The kernel is the "spindle" kernelspec as Jupyter resolves it in this
environment (what JupyterLab would start); when there is none, it is installed
into .venv with install/install.sh --sys-prefix.
EOF
}

say() { echo "reports: $*"; }
die() { echo "reports: error: $*" >&2; exit 2; }

NB_DIR="${SPINDLE_NOTEBOOKS_DIR:-$REPO/notebooks}"
OUT_DIR="${SPINDLE_REPORTS_DIR:-$REPO/reports}"
INPLACE=0
EXECUTE=1
TIMEOUT=300
PDF=auto
PAPER=letter
JAVA=""
BUILD=1
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --inplace) INPLACE=1; shift ;;
    --no-execute) EXECUTE=0; shift ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a number of seconds"; TIMEOUT="$2"; shift 2 ;;
    --timeout=*) TIMEOUT="${1#--timeout=}"; shift ;;
    --pdf) [ $# -ge 2 ] || die "--pdf needs auto, webpdf, latex or none"; PDF="$2"; shift 2 ;;
    --pdf=*) PDF="${1#--pdf=}"; shift ;;
    --paper) [ $# -ge 2 ] || die "--paper needs a4 or letter"; PAPER="$2"; shift 2 ;;
    --paper=*) PAPER="${1#--paper=}"; shift ;;
    --notebooks) [ $# -ge 2 ] || die "--notebooks needs a directory"; NB_DIR="$2"; shift 2 ;;
    --notebooks=*) NB_DIR="${1#--notebooks=}"; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; OUT_DIR="$2"; shift 2 ;;
    --out=*) OUT_DIR="${1#--out=}"; shift ;;
    --java) [ $# -ge 2 ] || die "--java needs a path"; JAVA="$2"; shift 2 ;;
    --java=*) JAVA="${1#--java=}"; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; NAMES+=("$@"); break ;;
    -*) echo "reports: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) NAMES+=("$1"); shift ;;
  esac
done
case "$TIMEOUT" in (''|*[!0-9]*|0) die "--timeout wants a positive whole number of seconds, not '$TIMEOUT'" ;; esac
case "$PDF" in auto|webpdf|latex|none) ;; *) die "--pdf wants auto, webpdf, latex or none, not '$PDF'" ;; esac
PAPER="$(printf '%s' "$PAPER" | tr '[:upper:]' '[:lower:]')"
case "$PAPER" in a4|letter) ;; *) die "--paper wants a4 or letter, not '$PAPER'" ;; esac
[ "$PAPER" = letter ] || [ "$PDF" != latex ] || die "--paper $PAPER needs the webpdf route: the latex route prints on Letter only"
[ $EXECUTE -eq 1 ] || [ $INPLACE -eq 0 ] || die "--inplace saves a run's outputs: it cannot go with --no-execute"

# ---- which notebooks ---------------------------------------------------------
if [ ! -d "$NB_DIR" ]; then
  [ ${#NAMES[@]} -eq 0 ] || die "no notebooks directory $NB_DIR"
  say "no notebooks: $NB_DIR does not exist; nothing to do"
  exit 0
fi
NB_DIR="$(cd "$NB_DIR" && pwd)"
NOTEBOOKS=()
if [ ${#NAMES[@]} -gt 0 ]; then
  for n in "${NAMES[@]}"; do
    n="$(basename "$n")"; n="${n%.ipynb}"
    [ -f "$NB_DIR/$n.ipynb" ] || die "no notebook $NB_DIR/$n.ipynb"
    NOTEBOOKS+=("$NB_DIR/$n.ipynb")
  done
else
  shopt -s nullglob
  for f in "$NB_DIR"/*.ipynb; do NOTEBOOKS+=("$f"); done
  shopt -u nullglob
fi
if [ ${#NOTEBOOKS[@]} -eq 0 ]; then
  say "no notebooks in $NB_DIR (*.ipynb); nothing to do"
  exit 0
fi

# ---- python with nbclient / nbconvert ----------------------------------------
PY_MODULES="nbclient,nbconvert,nbformat,jupyter_client"
PY=""
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import $PY_MODULES" >/dev/null 2>&1; then
  PY="$VENV/bin/python"
else
  command -v python3 >/dev/null 2>&1 || die "Python 3 is needed: install python3 (and python3-venv)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV" || die "'python3 -m venv $VENV' failed (on Debian/Ubuntu: apt-get install python3-venv)"
  fi
  say "installing into $VENV: nbclient nbconvert nbformat jupyter_client playwright"
  PIP_RETRIES="${PIP_RETRIES:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q \
    nbclient nbconvert nbformat jupyter_client playwright || die "pip install failed"
  PY="$VENV/bin/python"
fi
export PATH="$VENV/bin:$PATH"

# ---- the kernel jar and kernelspec -------------------------------------------
SPEC=""
# Without a run, no kernel is needed: nothing to build or install.
if [ $EXECUTE -eq 1 ]; then
  jar_stale() {
    [ -f "$JAR" ] || return 0
    [ -n "$(find "$REPO/pom.xml" "$REPO/kernel/pom.xml" "$REPO/kernel/src/main" -newer "$JAR" -type f 2>/dev/null | head -n1)" ]
  }
  if [ $BUILD -eq 1 ] && jar_stale; then
    command -v mvn >/dev/null 2>&1 || die "$JAR is missing or stale and Maven (mvn) is not installed"
    say "building the kernel jar (mvn -B -q -DskipTests package)"
    (cd "$REPO" && mvn -B -q -ntp -DskipTests package) || { echo "reports: error: the Maven build failed" >&2; exit 1; }
  fi

  spec_dir() {
    "$PY" -c 'import sys
from jupyter_client.kernelspec import KernelSpecManager
print(KernelSpecManager().find_kernel_specs().get(sys.argv[1], ""))' "$KERNEL_NAME"
  }
  # spec_field DIR java|jar : the java (argv[0]) or the -jar argument of DIR/kernel.json
  spec_field() {
    "$PY" -c 'import json, sys
argv = json.load(open(sys.argv[1] + "/kernel.json"))["argv"]
if sys.argv[2] == "java": print(argv[0])
else: print(argv[argv.index("-jar") + 1] if "-jar" in argv else "")' "$1" "$2" 2>/dev/null || true
  }
  install_spec() {
    local inst=(bash "$HERE/install.sh" --sys-prefix)
    if [ -n "$1" ]; then inst+=(--java "$1"); fi
    SPINDLE_JUPYTER="$VENV/bin/jupyter" "${inst[@]}" || { echo "reports: error: install.sh failed" >&2; exit 1; }
  }
  SPEC="$(spec_dir)"
  VENV_SPEC="$VENV/share/jupyter/kernels/$KERNEL_NAME"
  if [ -z "$SPEC" ]; then
    say "no '$KERNEL_NAME' kernelspec found; installing it into $VENV (install/install.sh --sys-prefix)"
    install_spec "$JAVA"
    SPEC="$(spec_dir)"
    [ -n "$SPEC" ] || { echo "reports: error: the kernelspec is still not found after install.sh" >&2; exit 1; }
  elif [ "$(cd "$SPEC" && pwd -P)" = "$(cd "$VENV_SPEC" 2>/dev/null && pwd -P)" ] \
       && [ "$(spec_field "$SPEC" jar)" = "$JAR" ] && [ "$JAR" -nt "$SPEC/kernel.json" ]; then
    # .venv's own spec, older than the jar it runs: its class-data archive is stale.
    say "the kernel jar is newer than $SPEC; re-installing it (install/install.sh --sys-prefix)"
    install_spec "${JAVA:-$(spec_field "$SPEC" java)}"
  fi
fi

mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

# ---- run ---------------------------------------------------------------------
read -r -d '' RUNNER <<'PY' || true
import asyncio
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

kernel_name, spec_dir, out_dir, timeout, pdf_route, inplace, execute, paper = sys.argv[1:9]
notebooks = [Path(p) for p in sys.argv[9:]]
out_dir, timeout, inplace, execute = Path(out_dir), int(timeout), inplace == "1", execute == "1"
STARTUP_TIMEOUT = 120


def say(msg):
    print(f"reports: {msg}", flush=True)


# ---- PDF routes
def find_chromium():
    env = os.environ.get("SPINDLE_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for cand in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def webpdf_status():
    """(available, detail)"""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False, "the playwright Python package is missing"
    chromium = find_chromium()
    if not chromium:
        return False, "no chromium (apt-get install chromium, or set SPINDLE_CHROMIUM)"
    return True, chromium


def latex_status(need_svg):
    missing = [t for t in ("xelatex", "pandoc") if not shutil.which(t)]
    svg_cmd = None
    if shutil.which("rsvg-convert"):
        svg_cmd = ["rsvg-convert", "-f", "pdf", "-o", "{to_filename}", "{from_filename}"]
    elif shutil.which("inkscape"):
        svg_cmd = ["inkscape", "--export-filename={to_filename}", "{from_filename}"]
    elif need_svg:
        missing.append("rsvg-convert (librsvg2-bin) or inkscape, for the SVG charts")
    if missing:
        return False, "missing " + ", ".join(missing)
    return True, svg_cmd


# Printed pages cannot scroll: lines longer than the page wrap (code, streams, tables) instead of
# being cut at the right margin. Only in print, so the HTML report keeps its scrolling code.
PRINT_CSS = """<style media="print">
.jp-Cell pre, .jp-OutputArea-output pre, .highlight pre {
  white-space: pre-wrap !important; overflow-wrap: anywhere;
}
.jp-OutputArea-output img { max-width: 100%; height: auto; }
</style>
"""


def with_print_css(html):
    at = html.find("</head>")
    return html[:at] + PRINT_CSS + html[at:] if at >= 0 else PRINT_CSS + html


def make_webpdf_exporter(chromium, paper):
    from nbconvert.exporters.webpdf import WebPDFExporter

    class ChromiumWebPDF(WebPDFExporter):
        """nbconvert's webpdf with a given chromium binary (nbconvert 7 has no option for
        the executable) and no network: outside resources (require.js and MathJax from a
        CDN) are not fetched, so the PDF never waits on a network that is not there."""

        def run_playwright(self, html):
            async def main(path):
                from playwright.async_api import async_playwright
                async with async_playwright() as p:
                    browser = await p.chromium.launch(
                        executable_path=chromium, headless=True, timeout=60_000,
                        handle_sigint=False, handle_sigterm=False, handle_sighup=False,
                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                              "--no-first-run", "--disable-background-networking"])
                    try:
                        page = await browser.new_page()

                        async def route(r):
                            if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
                                await r.continue_()
                            else:
                                await r.abort()
                        await page.route("**/*", route)
                        await page.emulate_media(media="print")
                        await page.goto(f"file://{path}", wait_until="load", timeout=120_000)
                        return await page.pdf(print_background=True, format=paper,
                                              margin={"top": "12mm", "bottom": "12mm",
                                                      "left": "10mm", "right": "10mm"})
                    finally:
                        await browser.close()

            with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as f:
                f.write(with_print_css(html).encode("utf-8"))
            try:
                with concurrent.futures.ThreadPoolExecutor(1) as pool:
                    return pool.submit(asyncio.run, main(f.name)).result()
            finally:
                os.unlink(f.name)

    return ChromiumWebPDF()


def make_latex_exporter(svg_cmd):
    from nbconvert import PDFExporter
    from traitlets.config import Config
    c = Config()
    # the charts' SVG before their PNG (LaTeX's default order is the other way round): vector
    # charts in the PDF; the PNG is in the bundle for JupyterLab's sake
    c.NbConvertBase.display_data_priority = ["text/latex", "application/pdf", "image/svg+xml",
                                             "image/png", "image/jpeg", "text/markdown", "text/plain"]
    if svg_cmd:
        c.SVG2PDFPreprocessor.command = svg_cmd
    return PDFExporter(config=c)


# ---- pick the PDF route once
need_svg = True  # Spindle's charts are SVG: the LaTeX route needs a converter
route, route_detail = None, ""
if pdf_route == "none":
    route_note = "PDF skipped (--pdf none)"
else:
    web_ok, web_detail = webpdf_status()
    tex_ok, tex_detail = latex_status(need_svg)
    if pdf_route in ("auto", "webpdf") and web_ok:
        route, route_detail = "webpdf", web_detail
        route_note = f"PDF route: webpdf (Chromium {web_detail} via Playwright), {paper} paper"
    elif pdf_route in ("auto", "latex") and tex_ok:
        route, route_detail = "latex", tex_detail
        svg = " ".join(tex_detail[:1]) if tex_detail else "none needed"
        route_note = f"PDF route: latex (nbconvert --to pdf: xelatex, pandoc; SVG via {svg})"
    elif pdf_route == "auto":
        route_note = (f"PDF skipped: no PDF route (webpdf: {web_detail}; latex: {tex_detail})")
    else:
        detail = web_detail if pdf_route == "webpdf" else tex_detail
        print(f"reports: error: --pdf {pdf_route} is not available here: {detail}", file=sys.stderr)
        sys.exit(2)

if execute:
    spec = KernelSpecManager().get_kernel_spec(kernel_name)
    java = spec.argv[0] if spec.argv else "?"
    say(f"kernel: '{kernel_name}' from {spec_dir} (java {java})")
else:
    say("not executing: exporting the outputs the notebooks hold")
say(f"reports go to {out_dir}")
say(route_note)

html_exporter = HTMLExporter()  # the lab template; SVG outputs become <img src="data:...">
pdf_exporter = None
if route == "webpdf":
    pdf_exporter = make_webpdf_exporter(route_detail, "A4" if paper == "a4" else "Letter")
elif route == "latex":
    pdf_exporter = make_latex_exporter(route_detail)

failed = []
for path in notebooks:
    name = path.stem
    t0 = time.monotonic()
    if execute:
        say(f"{path.name}: executing (timeout {timeout} s per cell)")
    problem = None
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        say(f"{path.name}: FAILED: cannot read it: {exc}")
        failed.append(name)
        continue
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=timeout,
                            startup_timeout=STARTUP_TIMEOUT, allow_errors=True,
                            record_timing=True, resources={"metadata": {"path": str(path.parent)}},
                            # one block per stream and cell, as JupyterLab shows it, not one per batch
                            coalesce_streams=True)
    try:
        if execute:
            client.execute()
    except CellTimeoutError as exc:
        problem = f"a cell ran over the {timeout} s timeout: {str(exc).splitlines()[0]}"
    except DeadKernelError as exc:
        problem = f"the kernel died: {exc}"
    except Exception as exc:  # noqa: BLE001 - e.g. the kernel did not start
        problem = f"{type(exc).__name__}: {exc}"
    errors = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                errors.append(f"cell {i} ({first[:60]!r}): {out.get('ename')}: {out.get('evalue')}")
    if errors and problem is None:
        problem = "error output in " + "; ".join(errors)
    elapsed = time.monotonic() - t0
    written = []
    try:
        body, _ = html_exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
        (out_dir / f"{name}.html").write_text(body, encoding="utf-8")
        written.append(f"{name}.html")
    except Exception as exc:  # noqa: BLE001
        problem = problem or f"HTML export failed: {exc}"
    if pdf_exporter is not None and problem is None:
        try:
            data, _ = pdf_exporter.from_notebook_node(nb, resources={"metadata": {"name": name,
                                                                     "path": str(path.parent)}})
            (out_dir / f"{name}.pdf").write_bytes(data)
            written.append(f"{name}.pdf")
        except Exception as exc:  # noqa: BLE001
            problem = f"PDF export ({route}) failed: {exc}"
            traceback.print_exc()
    if problem is None and inplace:
        nbformat.write(nb, path)
        written.append(f"{path} (in place)")
    if problem is None:
        say(f"{path.name}: ok in {elapsed:.1f} s -> " + ", ".join(written))
    else:
        failed.append(name)
        say(f"{path.name}: FAILED after {elapsed:.1f} s: {problem}")
        if written:
            say(f"{path.name}: wrote " + ", ".join(written) + " anyway"
                + ("; not saved in place" if inplace else ""))

ok = len(notebooks) - len(failed)
say(f"{ok} of {len(notebooks)} notebook(s) ok" + (f"; failed: {', '.join(failed)}" if failed else ""))
sys.exit(1 if failed else 0)
PY

exec "$PY" -c "$RUNNER" "$KERNEL_NAME" "$SPEC" "$OUT_DIR" "$TIMEOUT" "$PDF" "$INPLACE" "$EXECUTE" "$PAPER" "${NOTEBOOKS[@]}"
