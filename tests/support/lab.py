"""JupyterLab in headless Chromium, for the browser tests: a ``LabServer`` (started through
conftest.py's ``lab_server`` fixture, which also stops it), a Playwright page on it
(``lab_page``) and the steps the tests take there (open a notebook, run until the kernel has
started, wait for output, choose from a menu).
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support.jupyter_env import DISPLAY_NAME, VENV_BIN
from support.processes import end_process, kill_mentioning

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]
SERVER_START_TIMEOUT = 90.0
KERNEL_TIMEOUT = 120.0   # kernel name shown, kernel started
OUTPUT_TIMEOUT = 60.0


def require_browser():
    """Skips (fails, in CI) the test when Chromium or Playwright is missing."""
    reason = None
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is missing (install/spindle test installs it)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"JupyterLab browser test cannot run in CI: {reason}", pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """`jupyter lab` on a free port with a fresh token, in its own process group."""

    def __init__(self, env: dict, root: Path, log: Path):
        self.env = env
        self.root = root
        self.log_path = log
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "LabServer":
        # No "get notified about Jupyter news?" toast over the page.
        settings = (Path(self.env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings" / "@jupyterlab"
                    / "apputils-extension" / "notification.jupyterlab-settings")
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text('{"fetchNews": "false", "checkForUpdates": false}')
        jupyter = VENV_BIN / "jupyter"
        if not jupyter.exists():
            pytest.skip(f"{jupyter} is missing: create .venv (install/spindle test does)")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(jupyter), "lab", "--allow-root", "--no-browser",
             f"--IdentityProvider.token={self.token}",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={self.root}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--LabApp.news_url=", "--ServerApp.shutdown_no_activity_timeout=900"],
            env=self.env, cwd=str(self.root), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}",
                                            timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_TIMEOUT}s:\n"
                                   f"{self.log()}")
            # Poll the server again shortly; the deadline bounds the loop.
            self.proc_wait(0.25)

    def proc_wait(self, seconds: float) -> None:
        try:
            self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            pass

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        # SIGTERM lets the server shut its kernels down; then make sure (a kernel's command
        # line names its connection file in this server's runtime dir).
        end_process(self.proc, group=True, grace=20, wait=10)
        kill_mentioning(self.env["JUPYTER_RUNTIME_DIR"])
        if self._log is not None:
            self._log.close()
            self._log = None


KERNEL_DEAD = ("restart failed", "died, removing from map")


def wait_for_output(page, locator, lab: LabServer, timeout: float) -> None:
    """Polls (bounded) until locator matches; fails at once if the server
    reports that the kernel died, with the server log."""
    deadline = time.monotonic() + timeout
    while locator.count() == 0:
        log = lab.log(tail=200_000)
        if any(s in log for s in KERNEL_DEAD):
            raise AssertionError(f"the kernel died under JupyterLab:\n{lab.log()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no output within {timeout:.0f}s")
        page.wait_for_timeout(200)  # next poll of the page; the deadline bounds the loop


def open_notebook(page, lab, name: str, reset: bool = False) -> None:
    """Opens notebook `name` in JupyterLab and waits for the kernel's display name in its
    toolbar (not the idle dot, which shows before the kernel is there). With reset, the
    workspace is cleared first, so notebooks an earlier page opened are not open (hidden) too."""
    from playwright.sync_api import expect

    query = f"reset&token={lab.token}" if reset else f"token={lab.token}"
    page.goto(f"{lab.url}/lab/tree/{name}?{query}", wait_until="domcontentloaded", timeout=60_000)
    kernel_name = page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-kernelName")
    expect(kernel_name).to_contain_text(DISPLAY_NAME, timeout=KERNEL_TIMEOUT * 1000)


def run_until_started(trigger, prompt) -> None:
    """Calls `trigger` (a run command) until `prompt` shows "[*]" or "[n]". JupyterLab drops a
    run requested before it has connected to the new kernel: the prompt then stays "[ ]"."""
    from playwright.sync_api import expect

    deadline = time.monotonic() + KERNEL_TIMEOUT
    while True:
        trigger()
        try:
            expect(prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=10_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


@contextlib.contextmanager
def lab_page(lab: LabServer, failure_shot: Path, height: int = 900):
    """A headless Chromium page for `lab`. If the body fails, the page is saved to
    failure_shot and the server's log printed, then the error goes on; the browser is closed."""
    from playwright.sync_api import sync_playwright

    failure_shot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                    timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": height})
            page.set_default_timeout(OUTPUT_TIMEOUT * 1000)
            try:
                yield page
            except Exception:
                try:
                    page.screenshot(path=str(failure_shot))
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    pass
                print(f"--- jupyter lab log ---\n{lab.log()}")
                raise
        finally:
            browser.close()


def menu(page, name: str, item: str) -> None:
    """Chooses `item` from JupyterLab's menu `name` (e.g. "Run", "Run All Cells")."""
    page.locator(".lm-MenuBar-item", has_text=name).first.click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def tab_is_dirty(page) -> bool:
    """True when the current notebook's tab shows unsaved changes."""
    return page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current.jp-mod-dirty").count() > 0


def wait_for_charts(page, count: int, timeout: float = OUTPUT_TIMEOUT) -> None:
    """Waits (bounded) until `count` Vega-Lite charts have been drawn (vega-embed's canvas or svg)."""
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-RenderedVegaLite .vega-embed canvas,"
        " .jp-RenderedVegaLite .vega-embed svg.marks').length >= n", arg=count, timeout=timeout * 1000)


def save_and_wait(page, path: Path, timeout: float = OUTPUT_TIMEOUT) -> bytes:
    """Saves the current notebook with Ctrl+S and waits (bounded) until the file on disk has
    been rewritten completely (the server writes in place, keeping a ".~NAME" backup until
    it is done); returns its bytes."""
    import json
    before = path.stat().st_mtime_ns
    page.locator(".jp-Notebook:visible").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + timeout
    backup = path.with_name(".~" + path.name)
    while True:
        if path.stat().st_mtime_ns != before and not backup.exists():
            data = path.read_bytes()
            try:
                json.loads(data)
                return data
            except ValueError:
                pass  # caught mid-write
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} was not saved within {timeout:.0f}s")
        page.wait_for_timeout(100)  # next look at the file; the deadline bounds the loop
