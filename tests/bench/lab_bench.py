#!/usr/bin/env python3
"""Lab-start section of the spindle benchmark: how long a second
`install/spindle lab` with nothing changed takes to print JupyterLab's URL,
against `jupyter lab` started alone from the same venv (the floor: JupyterLab's
own start).

Called from kernel_bench.py (its BENCHMARKS list) as `run(ctx, kb)`, where kb
is the kernel_bench module. Cheap: one or two `install/spindle lab` starts (the
first is timed only when it already found the jar and the kernelspec up to
date) and one `jupyter lab` start. Each server is stopped as soon as it has
printed its URL. `install/spindle lab` installs the kernelspec into the venv,
as it does for a user; HOME and the Jupyter config and runtime dirs are the
benchmark's isolated ones.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SPINDLE_CMD = REPO / "install" / "spindle"
URL = re.compile(r"http://127\.0\.0\.1:\d+/lab\?token=")
START_TIMEOUT = 300.0   # a first start may build the jar and make the class-data archive
UP_TO_DATE = ("kernel jar is up to date", "is up to date (same java, jar and options)")
JUPYTERLAB = "jupyterlab"


def venv_dir() -> Path:
    """The venv install/spindle uses: SPINDLE_VENV, else .venv."""
    return Path(os.environ.get("SPINDLE_VENV") or REPO / ".venv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_url(cmd: list[str], env: dict, timeout: float = START_TIMEOUT) -> tuple[float | None, dict, str]:
    """Starts cmd (a JupyterLab server) in its own process group, returns
    (seconds until its URL line or None, {marker line: seconds}, output) and
    stops the whole group."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = threading.Event()
    marks: dict = {}
    lines: list[str] = []

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            if "starting JupyterLab" in line:
                marks.setdefault("starting JupyterLab", time.perf_counter() - t0)
            if URL.search(line) and "url" not in marks:
                marks["url"] = time.perf_counter() - t0
                seen.set()
        seen.set()    # output ended: the server exited

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        seen.wait(timeout)
    finally:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        reader.join(10)
    return marks.get("url"), marks, "".join(lines)


def lab_cmd(port: int) -> list[str]:
    return ["bash", str(SPINDLE_CMD), "lab", "--no-browser", "--", f"--port={port}",
            "--ServerApp.port_retries=0"]


def run(ctx, kb) -> list:
    """Rows with a spindle (`install/spindle lab`) and a JupyterLab-alone column."""
    Row = kb.Row
    total = Row("second `install/spindle lab`, nothing changed → JupyterLab URL · `jupyter lab` alone",
                "s", target=5.0)
    before = Row("  of which before JupyterLab starts (jar and kernelspec checks)", "s")
    venv = venv_dir()
    jupyter = venv / "bin" / "jupyter"
    if not (venv / "bin" / "jupyter-lab").exists():
        total.note = f"skipped: JupyterLab is not in {venv} (install/spindle lab installs it)"
        ctx.log("  " + total.note)
        return [total]
    env = dict(ctx.env, CI="true")
    env.pop("JUPYTER_PATH", None)   # as for a user: the venv's kernelspecs count
    url, marks, out = time_to_url(lab_cmd(free_port()), env)
    starts = 1
    if url is not None and not all(m in out for m in UP_TO_DATE):
        ctx.log(f"  first start brought things up to date ({url:.1f} s); timing a second one")
        url, marks, out = time_to_url(lab_cmd(free_port()), env)
        starts = 2
    if url is None:
        total.note = "install/spindle lab printed no URL: " + " | ".join(out.strip().splitlines()[-3:])
        ctx.log("  " + total.note)
        return [total]
    total.samples[kb.SPINDLE] = [url]
    if "starting JupyterLab" in marks:
        before.samples[kb.SPINDLE] = [marks["starting JupyterLab"]]
    alone, _, out2 = time_to_url([str(jupyter), "lab", str(REPO / "notebooks"), "--no-browser",
                                  f"--port={free_port()}", "--ServerApp.port_retries=0"]
                                 + (["--allow-root"] if os.geteuid() == 0 else []), env)
    if alone is not None:
        total.samples[JUPYTERLAB] = [alone]
    else:
        total.note = "`jupyter lab` alone printed no URL: " + " | ".join(out2.strip().splitlines()[-3:])
    ctx.log(f"  install/spindle lab: {url:.2f} s to the URL ({starts} start(s)); "
            f"jupyter lab alone: {'-' if alone is None else f'{alone:.2f} s'}")
    return [total, before]
