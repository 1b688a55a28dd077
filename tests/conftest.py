"""Shared harness for Spindle's end-to-end tests.

The kernel is always driven through the real ``jupyter_client`` machinery:
the ``spindle`` kernelspec is installed by ``install/install.sh`` into an
isolated Jupyter data dir (see ``jupyter_env.py``), a ``KernelManager`` starts
it from that spec, and a ``BlockingKernelClient`` talks to it.

Options:
  --java PATH   the java the kernel is installed with (default: $JAVA_HOME/bin/java,
                else ``java`` on PATH). The suite prints which one it used.

Fixtures: ``java`` (absolute path), ``java_major``, ``spindle_install`` (session:
isolated env + installed kernelspec, on a private copy of the jar), ``kernel``
(module-wide kernel, replaced if a test killed it), ``start_kernel`` (factory of
fresh kernels, shut down after the test). Helpers: ``execute`` / ``collect``
(reply + iopub until idle, answering stdin), ``request`` (any shell/control request).

Every wait in this file is bounded; nothing sleeps to synchronise.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

import jupyter_env  # tests/jupyter_env.py: isolated_env(tmp_dir), install_kernel(env, java)

REPO = Path(__file__).resolve().parent.parent
KERNEL_JAR = REPO / "kernel" / "target" / "spindle-kernel.jar"
KERNEL_NAME = "spindle"

STARTUP_TIMEOUT = 90.0   # JVM + JShell start, generous for a loaded 2-core machine
REPLY_TIMEOUT = 30.0     # ordinary requests
SHUTDOWN_WAIT = 5.0      # KernelManager.shutdown_wait_time for fixture teardown

_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    return _ANSI_RE.sub("", text or "")


# --------------------------------------------------------------------------- java

def _default_java() -> str:
    return jupyter_env.default_java()  # $JAVA_HOME/bin/java, else java on PATH


def _java_version(java: str) -> tuple[int, str]:
    """(feature release, first line of `java -version`)"""
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    text = (out.stderr or "") + (out.stdout or "")
    m = re.search(r'version "([^"]+)"', text)
    if not m:
        raise pytest.UsageError(f"cannot read the version of {java}: {text!r}")
    ver = m.group(1)
    parts = ver.split(".")
    major = int(parts[1]) if parts[0] == "1" else int(re.match(r"\d+", parts[0]).group(0))
    first = next((ln for ln in text.splitlines() if "version" in ln), text.splitlines()[0])
    return major, first.strip()


def pytest_addoption(parser):
    parser.addoption(
        "--java",
        action="store",
        default=None,
        metavar="PATH",
        help="java executable the Spindle kernel is installed with "
             "(default: $JAVA_HOME/bin/java, else java on PATH)",
    )


def pytest_configure(config):
    java = config.getoption("--java") or _default_java()
    resolved = shutil.which(java) or java
    if not (Path(resolved).is_file() and os.access(resolved, os.X_OK)):
        raise pytest.UsageError(f"--java {java!r} is not an executable file")
    resolved = str(Path(resolved).absolute())
    major, line = _java_version(resolved)
    config.spindle_java = resolved
    config.spindle_java_major = major
    config.spindle_java_line = line
    config.addinivalue_line("markers", "slow: slower test (still part of the default run)")


def pytest_report_header(config):
    return [f"spindle java: {config.spindle_java} (feature release {config.spindle_java_major}; "
            f"{config.spindle_java_line})",
            f"spindle kernel jar: {KERNEL_JAR}"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # also shown with -q, where the session header is not
    terminalreporter.write_line(f"spindle tests ran with java {config.spindle_java} "
                                f"(Java {config.spindle_java_major})")


@pytest.fixture(scope="session")
def java(pytestconfig) -> str:
    """Absolute path of the java the suite runs the kernel with."""
    return pytestconfig.spindle_java


@pytest.fixture(scope="session")
def java_major(pytestconfig) -> int:
    """Feature release of that java (17, 25, ...)."""
    return pytestconfig.spindle_java_major


# ------------------------------------------------------------------ environment

@contextlib.contextmanager
def patched_environ(env: dict):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class SpindleInstall:
    """An isolated Jupyter environment with the spindle kernelspec installed."""
    root: Path
    env: dict
    ksm: KernelSpecManager
    java: str

    @property
    def runtime_dir(self) -> Path:
        return Path(self.env["JUPYTER_RUNTIME_DIR"])


_install_failure: list[str] = []  # fail every later test at once instead of rebuilding


@pytest.fixture(scope="session")
def spindle_install(tmp_path_factory, java) -> SpindleInstall:
    """Installs the kernelspec with install/install.sh into a private JUPYTER_DATA_DIR."""
    if _install_failure:
        pytest.fail(_install_failure[0], pytrace=False)
    root = tmp_path_factory.mktemp("jupyter")
    env = jupyter_env.isolated_env(root)
    try:
        # Build kernel/target/spindle-kernel.jar if missing or stale, then install a
        # private copy: a rebuild during the session (by a developer, or by another
        # test) must not pull the jar out from under running kernels.
        jar = Path(root) / "spindle-kernel.jar"
        shutil.copy2(jupyter_env.build_jar(), jar)
        jupyter_env.install_kernel(env, java, "--jar", str(jar))
    except Exception as exc:  # noqa: BLE001 - report any install failure the same way
        _install_failure.append(f"could not install the spindle kernelspec: {exc}")
        pytest.fail(_install_failure[0], pytrace=False)
    spec_file = Path(env["JUPYTER_DATA_DIR"]) / "kernels" / KERNEL_NAME / "kernel.json"
    assert spec_file.is_file(), f"install did not write {spec_file}"
    # Resolve kernelspec dirs as jupyter would inside the isolated environment,
    # without leaking that environment into this process for other tests.
    with patched_environ(env):
        ksm = KernelSpecManager()
        _ = (ksm.kernel_dirs, ksm.data_dir, ksm.user_kernel_dir)
        spec = ksm.get_kernel_spec(KERNEL_NAME)
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(root).resolve()), (
        f"kernelspec {KERNEL_NAME!r} resolved outside the isolated dir: {spec.resource_dir}")
    return SpindleInstall(root=Path(root), env=env, ksm=ksm, java=java)


# ---------------------------------------------------------------- message store

class Mailbox:
    """Reads a BlockingKernelClient's iopub/shell/stdin sockets and files every
    message by its parent msg_id, so that pipelined requests and output that
    arrives late (or for someone else) is never lost."""

    def __init__(self, kc):
        self.kc = kc
        self.iopub: list[dict] = []                  # every iopub message, arrival order
        self.iopub_by_parent: dict[str, list[dict]] = {}
        self.shell_by_parent: dict[str, dict] = {}
        self.shell_unparented: list[dict] = []
        self.stdin: list[dict] = []                  # input_requests, arrival order
        self._answered: set[str] = set()
        self._poller = zmq.Poller()
        self._sockets = {}
        for name in ("iopub", "shell", "stdin"):
            sock = getattr(kc, f"{name}_channel").socket
            self._poller.register(sock, zmq.POLLIN)
            self._sockets[sock] = name

    def pump(self, timeout: float) -> int:
        """Wait up to `timeout` s for messages; file all that are ready. Returns how many."""
        events = dict(self._poller.poll(max(0, int(timeout * 1000))))
        got = 0
        for sock, name in self._sockets.items():
            if not events.get(sock):
                continue
            channel = getattr(self.kc, f"{name}_channel")
            while channel.msg_ready():
                msg = channel.get_msg(timeout=0)
                got += 1
                parent = (msg.get("parent_header") or {}).get("msg_id")
                if name == "iopub":
                    self.iopub.append(msg)
                    self.iopub_by_parent.setdefault(parent, []).append(msg)
                elif name == "shell":
                    if parent:
                        self.shell_by_parent[parent] = msg
                    else:
                        self.shell_unparented.append(msg)
                else:
                    self.stdin.append(msg)
        return got

    def drain(self) -> None:
        while self.pump(0):
            pass

    def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
            self.pump(left)

    def reply(self, msg_id: str, timeout: float = REPLY_TIMEOUT) -> dict:
        """The shell reply whose parent is msg_id (whole message)."""
        return self.wait_for(lambda: self.shell_by_parent.get(msg_id), timeout,
                             f"the shell reply to {msg_id}")

    def idle(self, msg_id: str) -> bool:
        return any(m["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
                   for m in self.iopub_by_parent.get(msg_id, ()))

    def wait_iopub(self, predicate: Callable[[dict], bool], timeout: float,
                   what: str = "an iopub message", start: int = 0) -> dict:
        """First iopub message (from index `start` on) satisfying predicate."""
        idx = [start]

        def find():
            while idx[0] < len(self.iopub):
                m = self.iopub[idx[0]]
                idx[0] += 1
                if predicate(m):
                    return m
            return None
        return self.wait_for(find, timeout, what)


def mailbox(kc) -> Mailbox:
    mb = getattr(kc, "_spindle_mailbox", None)
    if mb is None:
        mb = Mailbox(kc)
        kc._spindle_mailbox = mb
    return mb


# ------------------------------------------------------------------ results

@dataclass
class Result:
    """Everything one execute_request produced."""
    msg_id: str
    reply: dict | None = None
    iopub: list[dict] = field(default_factory=list)
    input_requests: list[dict] = field(default_factory=list)
    elapsed: float = 0.0

    # -- reply
    @property
    def content(self) -> dict:
        return self.reply["content"] if self.reply else {}

    @property
    def status(self) -> str | None:
        return self.content.get("status")

    @property
    def execution_count(self):
        return self.content.get("execution_count")

    # -- iopub
    def of_type(self, *types: str) -> list[dict]:
        return [m["content"] for m in self.iopub if m["msg_type"] in types]

    @property
    def streams(self) -> list[tuple[str, str]]:
        return [(c["name"], c["text"]) for c in self.of_type("stream")]

    def stream(self, name: str) -> str:
        return "".join(t for n, t in self.streams if n == name)

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def execute_input(self) -> dict | None:
        found = self.of_type("execute_input")
        return found[0] if found else None

    @property
    def execute_results(self) -> list[dict]:
        return self.of_type("execute_result")

    @property
    def data(self) -> dict | None:
        """data of the (single) execute_result, or None."""
        res = self.execute_results
        return res[0]["data"] if res else None

    @property
    def text(self) -> str | None:
        """text/plain of the execute_result, or None."""
        return (self.data or {}).get("text/plain")

    @property
    def displays(self) -> list[dict]:
        return self.of_type("display_data")

    @property
    def updates(self) -> list[dict]:
        return self.of_type("update_display_data")

    @property
    def clear_outputs(self) -> list[dict]:
        return self.of_type("clear_output")

    @property
    def errors(self) -> list[dict]:
        return self.of_type("error")

    # -- errors, from the reply or iopub
    @property
    def ename(self) -> str:
        if self.status == "error":
            return self.content.get("ename", "") or ""
        return self.errors[0].get("ename", "") if self.errors else ""

    @property
    def evalue(self) -> str:
        if self.status == "error":
            return self.content.get("evalue", "") or ""
        return self.errors[0].get("evalue", "") if self.errors else ""

    @property
    def traceback(self) -> str:
        tb = self.content.get("traceback") or []
        if not tb and self.errors:
            tb = self.errors[0].get("traceback") or []
        return strip_ansi("\n".join(tb))

    @property
    def iopub_traceback(self) -> str:
        return strip_ansi("\n".join("\n".join(e.get("traceback") or []) for e in self.errors))

    def all_text(self) -> str:
        """All text a user would see for this cell (streams, results, errors)."""
        parts = [t for _, t in self.streams]
        for c in self.of_type("execute_result", "display_data", "update_display_data"):
            parts.append(str(c.get("data", {}).get("text/plain", "")))
        for e in self.errors + ([self.content] if self.status == "error" else []):
            parts += [e.get("ename", "") or "", e.get("evalue", "") or ""]
            parts += e.get("traceback") or []
        return strip_ansi("\n".join(parts))

    def summary(self, limit: int = 3000) -> str:
        lines = [f"execute {self.msg_id}: reply={self.content if self.reply else None!r}"]
        for m in self.iopub:
            c = dict(m["content"])
            lines.append(f"  iopub {m['msg_type']}: {json.dumps(c)[:500]}")
        text = "\n".join(lines)
        return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"

    def __repr__(self) -> str:  # readable in assertion messages
        return self.summary()

    __str__ = __repr__

    def assert_ok(self) -> "Result":
        assert self.status == "ok", f"expected status ok:\n{self.summary()}"
        assert not self.errors, f"unexpected iopub error:\n{self.summary()}"
        return self

    def assert_error(self) -> "Result":
        assert self.status == "error", f"expected status error:\n{self.summary()}"
        return self


def collect(kc, msg_id: str, timeout: float = REPLY_TIMEOUT,
            input_replies: Iterable[str] | Callable[[str], str] | None = None) -> Result:
    """Waits (bounded) for the shell reply to msg_id and for iopub status idle with
    that parent; answers input_requests from `input_replies`."""
    mb = mailbox(kc)
    res = Result(msg_id)
    t0 = time.monotonic()
    deadline = t0 + timeout
    answers = iter(input_replies) if input_replies is not None and not callable(input_replies) else None
    while True:
        for req in mb.stdin:
            if (req["parent_header"] or {}).get("msg_id") != msg_id or req["header"]["msg_id"] in mb._answered:
                continue
            mb._answered.add(req["header"]["msg_id"])
            res.input_requests.append(req["content"])
            if callable(input_replies):
                kc.input(input_replies(req["content"].get("prompt", "")))
            elif answers is not None:
                kc.input(next(answers, ""))
        if msg_id in mb.shell_by_parent and mb.idle(msg_id):
            break
        left = deadline - time.monotonic()
        if left <= 0:
            res.reply = mb.shell_by_parent.get(msg_id)
            res.iopub = list(mb.iopub_by_parent.get(msg_id, []))
            raise TimeoutError(f"no complete answer within {timeout:.1f}s;\nso far: {res.summary()}")
        mb.pump(left)
    res.elapsed = time.monotonic() - t0
    res.reply = mb.shell_by_parent[msg_id]
    res.iopub = list(mb.iopub_by_parent.get(msg_id, []))
    return res


def execute(kc, code: str, timeout: float = REPLY_TIMEOUT, input_replies=None, **kw) -> Result:
    """Runs one cell and returns everything it produced (reply + iopub until idle)."""
    if input_replies is not None:
        kw.setdefault("allow_stdin", True)
    msg_id = kc.execute(code, **kw)
    return collect(kc, msg_id, timeout=timeout, input_replies=input_replies)


def request(kc, msg_type: str, content: dict, timeout: float = REPLY_TIMEOUT,
            channel: str = "shell") -> dict:
    """Sends any request on shell (or control) and returns the whole reply message."""
    msg = kc.session.msg(msg_type, content)
    if channel == "shell":
        kc.shell_channel.send(msg)
        return mailbox(kc).reply(msg["header"]["msg_id"], timeout)
    chan = kc.control_channel
    chan.send(msg)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {msg_type} reply on control within {timeout}s")
        reply = chan.get_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply


def shell_reply(kc, msg_id: str, timeout: float = REPLY_TIMEOUT) -> dict:
    return mailbox(kc).reply(msg_id, timeout)


def png_bytes(data: dict) -> bytes:
    raw = data["image/png"]
    return base64.b64decode(raw if isinstance(raw, str) else "".join(raw))


# -------------------------------------------------------------------- kernels

class Kernel:
    """A spindle kernel started from the installed kernelspec, plus its client."""

    def __init__(self, install: SpindleInstall, name: str = "k", log: bool = True,
                 extra_env: dict | None = None, kernel_name: str = KERNEL_NAME):
        self.install = install
        self.kernel_name = kernel_name
        self.dir = install.root / "kernels-run" / f"{name}-{uuid.uuid4().hex[:8]}"
        self.dir.mkdir(parents=True)
        self.log_path = self.dir / "kernel.log" if log else None
        self.out_path = self.dir / "kernel.out"
        self.extra_env = dict(extra_env or {})
        self.km: KernelManager | None = None
        self.kc = None
        self._out = None

    def start(self) -> "Kernel":
        env = dict(self.install.env)
        env.update(self.extra_env)
        km = KernelManager(
            kernel_name=self.kernel_name,
            kernel_spec_manager=self.install.ksm,
            connection_file=str(self.dir / "connection.json"),
        )
        km.shutdown_wait_time = SHUTDOWN_WAIT
        self._out = open(self.out_path, "ab")
        extra = ["--log", str(self.log_path)] if self.log_path else []
        km.start_kernel(env=env, cwd=str(self.dir), stdout=self._out, stderr=self._out,
                        extra_arguments=extra)
        self.km = km
        kc = km.client()
        kc.start_channels()
        self.kc = kc
        try:
            kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except Exception as exc:
            diag = self.diagnostics()
            self.stop()
            raise RuntimeError(f"spindle kernel did not become ready: {exc}\n{diag}") from exc
        mailbox(kc)
        return self

    # -- conveniences
    def execute(self, code: str, timeout: float = REPLY_TIMEOUT, **kw) -> Result:
        return execute(self.kc, code, timeout=timeout, **kw)

    def request(self, msg_type: str, content: dict, timeout: float = REPLY_TIMEOUT, **kw) -> dict:
        return request(self.kc, msg_type, content, timeout=timeout, **kw)

    @property
    def mailbox(self) -> Mailbox:
        return mailbox(self.kc)

    @property
    def pid(self):
        proc = getattr(self.km.provisioner, "process", None) if self.km else None
        return proc.pid if proc else None

    @property
    def process(self):
        return getattr(self.km.provisioner, "process", None) if self.km else None

    def is_alive(self) -> bool:
        return bool(self.km and self.km.is_alive())

    def responsive(self, timeout: float = 10.0) -> bool:
        try:
            msg_id = self.kc.kernel_info()
            self.mailbox.reply(msg_id, timeout)
            return True
        except Exception:
            return False

    def eval_int(self, expr: str, timeout: float = REPLY_TIMEOUT) -> int:
        res = self.execute(expr, timeout=timeout).assert_ok()
        assert res.text is not None, f"no execute_result for {expr!r}:\n{res}"
        m = re.search(r"-?\d+", res.text)
        assert m, f"not a number: {res.text!r}"
        return int(m.group(0))

    def assert_usable(self, timeout: float = REPLY_TIMEOUT) -> None:
        """The kernel still evaluates 1 + 1 correctly."""
        assert self.is_alive(), "kernel process died\n" + self.diagnostics()
        res = self.execute("1 + 1", timeout=timeout)
        assert res.status == "ok" and (res.text or "").strip() == "2", (
            f"kernel not usable after the previous cell:\n{res}")

    def log_text(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return ""

    def diagnostics(self, tail: int = 4000) -> str:
        out = self.out_path.read_text(errors="replace") if self.out_path.exists() else ""
        return (f"--- kernel stdout/stderr ({self.out_path}) ---\n{out[-tail:]}\n"
                f"--- kernel log ({self.log_path}) ---\n{self.log_text()[-tail:]}")

    def stop(self) -> None:
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=not self.km.is_alive())
            with contextlib.suppress(Exception):
                proc = self.process
                if proc is not None and proc.poll() is None:
                    proc.kill()
                    proc.wait(10)
            with contextlib.suppress(Exception):
                self.km.cleanup_resources()
        if self._out is not None:
            self._out.close()
            self._out = None


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def _failed(request) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return bool(rep and rep.failed)


@pytest.fixture
def start_kernel(spindle_install, request):
    """Factory for fresh kernels owned by one test (for destructive tests)."""
    started: list[Kernel] = []

    def start(name: str | None = None, **kw) -> Kernel:
        k = Kernel(spindle_install, name=name or request.node.name[:40], **kw)
        started.append(k)
        return k.start()

    yield start
    for k in started:
        if _failed(request):
            print(f"\n[{request.node.nodeid}] kernel pid {k.pid}\n{k.diagnostics()}")
        k.stop()


class _SharedKernel:
    def __init__(self, install: SpindleInstall, name: str):
        self.install = install
        self.name = name
        self.kernel: Kernel | None = None
        self.replaced = 0

    def get(self) -> Kernel:
        k = self.kernel
        if k is not None and k.is_alive() and k.responsive():
            return k
        if k is not None:
            print(f"\n[shared kernel {self.name}] dead or unresponsive, starting a new one\n"
                  f"{k.diagnostics()}")
            k.stop()
            self.replaced += 1
        self.kernel = Kernel(self.install, name=self.name).start()
        return self.kernel

    def stop(self) -> None:
        if self.kernel is not None:
            self.kernel.stop()
            self.kernel = None


@pytest.fixture(scope="module")
def _shared_kernel(spindle_install, request):
    shared = _SharedKernel(spindle_install, name=request.module.__name__.rsplit(".", 1)[-1])
    yield shared
    shared.stop()


@pytest.fixture
def kernel(_shared_kernel, request) -> Kernel:
    """A module-wide kernel for tests that leave it usable. If a previous test
    killed or wedged it, a new one is started so failures do not cascade."""
    k = _shared_kernel.get()
    k.mailbox.drain()
    yield k
    if _failed(request):
        print(f"\n[{request.node.nodeid}] shared kernel pid {k.pid}\n{k.diagnostics()}")


@pytest.fixture
def kc(kernel):
    return kernel.kc
