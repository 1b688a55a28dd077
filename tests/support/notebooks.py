"""Notebooks on the spindle kernel outside the browser: run one through nbclient, export it
with nbconvert, and read the SVG charts back out of the HTML. Also what the timing notebook
(tests/notebooks/timing.ipynb) shows, which its own tests and the reports tests both check.
"""
from __future__ import annotations

import base64
import binascii
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support.jupyter_env import KERNEL_NAME, REPO, VENV_BIN
from support.processes import end_process

TIMING_NOTEBOOK = REPO / "tests" / "notebooks" / "timing.ipynb"
TIMING_CHART_COUNT = 3   # Benchmark.run(), speedupChart(...), withExternal(...).barChart()
SVG_MAX_BYTES = 40 * 1024


# -------------------------------------------------------------------- running

def run_notebook(nb, work, install, cell_timeout: float, startup_timeout: float = 90):
    """Executes notebook `nb` (in place) through nbclient on the installed spindle kernel, in
    the isolated environment of `install`; kills the kernel if nbclient leaves it running."""
    from jupyter_client import AsyncKernelManager
    from nbclient import NotebookClient

    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=install.ksm,
                            connection_file=str(Path(work) / "connection.json"))
    km.shutdown_wait_time = 5
    client = NotebookClient(nb, km=km, kernel_name=KERNEL_NAME, timeout=cell_timeout,
                            startup_timeout=startup_timeout, allow_errors=True, coalesce_streams=True,
                            resources={"metadata": {"path": str(work)}})
    try:
        # env reaches the kernel process: the isolated Jupyter dirs and HOME.
        client.execute(env=dict(install.env))
    finally:
        end_process(getattr(km.provisioner, "process", None) if km.provisioner else None)
    return nb


# -------------------------------------------------------------------- nbconvert

def require_jupyter() -> Path:
    """The venv's `jupyter`; skips the test when it is missing."""
    jupyter = VENV_BIN / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"{jupyter} is missing: create .venv (install/spindle test does)")
    return jupyter


def export_html(notebook: Path, out_dir: Path, name: str, env: dict, timeout: float = 120) -> str:
    """`jupyter nbconvert --to html` of notebook into out_dir/NAME.html; asserts that it
    succeeded (else shows its output) and returns the page."""
    proc = subprocess.run([str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", str(notebook),
                           "--output-dir", str(out_dir), "--output", name],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout
    return (Path(out_dir) / f"{name}.html").read_text(encoding="utf-8")


# -------------------------------------------------------------------- SVG in HTML

class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.srcs.append(dict(attrs).get("src") or "")


def svg_images(page: str) -> list[str]:
    """The decoded SVG documents of every <img src="data:image/svg+xml;base64,..."> in page."""
    parser = _Images()
    parser.feed(page)
    prefix = "data:image/svg+xml;base64,"
    out = []
    for src in parser.srcs:
        if src.startswith(prefix):
            try:
                out.append(base64.b64decode(src[len(prefix):], validate=True).decode("utf-8"))
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise AssertionError(f"undecodable SVG data URI: {exc}") from exc
    return out


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element of an SVG document (parses it: must be XML)."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg", f"not an SVG root element: {root.tag}"
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
