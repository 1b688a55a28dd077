"""Shared harness for Spindle's end-to-end tests: pytest options, hooks and fixtures. The
helpers behind them live in tests/support/ (see its __init__.py); test modules import from
there, never from each other or from this file.

The kernel is always driven through the real ``jupyter_client`` machinery:
the ``spindle`` kernelspec is installed by ``install/install.sh`` into an
isolated Jupyter data dir (see ``support/jupyter_env.py``), a ``KernelManager`` starts
it from that spec, and a ``BlockingKernelClient`` talks to it.

Options:
  --java PATH   the java the kernel is installed with (default: $JAVA_HOME/bin/java,
                else ``java`` on PATH). The suite prints which one it used.

Fixtures: ``java`` (absolute path), ``java_major``, ``spindle_install`` (session:
isolated env + installed kernelspec, on a private copy of the jar), ``kernel``
(module-wide kernel, replaced if a test killed it), ``kc`` (its client),
``start_kernel`` (factory of fresh kernels, shut down after the test).
Cleanup: ``child_jvm_reaper`` (module: child JVM pids seen, killed at the module's end if
still running), ``stop_leftover_workers`` (a module that starts workers uses it for every
test: ``pytestmark = pytest.mark.usefixtures("stop_leftover_workers")``), ``lab_server``
(module: factory of JupyterLab servers, stopped at the module's end).

Every wait in the harness is bounded; nothing sleeps to synchronise.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support import jupyter_env
from support.children import kill_child_jvms, stop_workers
from support.kernel import Kernel, SharedKernel, SpindleInstall, install_kernelspec, open_install
from support.lab import LabServer, require_browser

KERNEL_JAR = jupyter_env.JAR


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



# ------------------------------------------------------------------ install

_install_failure: list[str] = []  # fail every later test at once instead of rebuilding


@pytest.fixture(scope="session")
def spindle_install(tmp_path_factory, java) -> SpindleInstall:
    """Installs the kernelspec with install/install.sh into a private JUPYTER_DATA_DIR."""
    if _install_failure:
        pytest.fail(_install_failure[0], pytrace=False)
    root = tmp_path_factory.mktemp("jupyter")
    try:
        env = install_kernelspec(root, java)
    except Exception as exc:  # noqa: BLE001 - report any install failure the same way
        _install_failure.append(f"could not install the spindle kernelspec: {exc}")
        pytest.fail(_install_failure[0], pytrace=False)
    return open_install(root, env, java)


# -------------------------------------------------------------------- kernels

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


@pytest.fixture(scope="module")
def _shared_kernel(spindle_install, request):
    shared = SharedKernel(spindle_install, name=request.module.__name__.rsplit(".", 1)[-1])
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


# ---------------------------------------------------------------- child JVMs

@pytest.fixture(scope="module")
def child_jvm_reaper(request):
    """Module-wide record of child JVM pids; after the module's kernel has been shut down,
    any of them still running is killed (and reported)."""
    seen: set[int] = set()
    yield seen
    killed = kill_child_jvms(seen)
    if killed:
        print(f"\n[{request.module.__name__}] killed leftover child JVMs after the module: {sorted(killed)}")


@pytest.fixture
def stop_leftover_workers(request, child_jvm_reaper):
    """After a test on the module's shared kernel: remember the kernel's child JVMs (for
    child_jvm_reaper) and stop every worker the test left running (Workers.stopAll())."""
    kernel = request.getfixturevalue("kernel") if "kernel" in request.fixturenames else None
    yield
    stop_workers(kernel, child_jvm_reaper)


# ---------------------------------------------------------------- JupyterLab

@pytest.fixture(scope="module")
def lab_server(spindle_install, tmp_path_factory):
    """Factory: lab_server(name, notebooks) starts JupyterLab on the spindle install, in a
    fresh directory holding copies of `notebooks`; every server is stopped (with the
    kernels it started) at the module's end. Skips when there is no browser to drive it."""
    servers: list[LabServer] = []

    def start(name: str, notebooks) -> LabServer:
        require_browser()
        root = tmp_path_factory.mktemp(name)
        for path in notebooks:
            shutil.copy(path, root / Path(path).name)
        server = LabServer(dict(spindle_install.env), root, root.parent / f"jupyter-{name}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
