"""Spindle kernels for the tests: the isolated install (``install_spindle``: a private
Jupyter data dir with the kernelspec installed by install/install.sh, on a private copy of
the jar), a ``Kernel`` started from it through ``KernelManager`` with its client, and the
``SharedKernel`` a module's tests reuse. The fixtures around them are in conftest.py.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from support import jupyter_env
from support.messages import REPLY_TIMEOUT, Mailbox, Result, execute, mailbox, request
from support.processes import end_process

KERNEL_NAME = jupyter_env.KERNEL_NAME
STARTUP_TIMEOUT = 90.0   # JVM + JShell start, generous for a loaded 2-core machine
SHUTDOWN_WAIT = 5.0      # KernelManager.shutdown_wait_time for fixture teardown


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


def install_kernelspec(root: Path, java: str) -> dict:
    """Builds kernel/target/spindle-kernel.jar if missing or stale and installs the spindle
    kernelspec, on a private copy of the jar, into an isolated environment under root;
    returns that environment. A rebuild during the session (by a developer, or by another
    test) must not pull the jar out from under running kernels: hence the copy."""
    env = jupyter_env.isolated_env(root)
    jar = Path(root) / "spindle-kernel.jar"
    shutil.copy2(jupyter_env.build_jar(), jar)
    jupyter_env.install_kernel(env, java, "--jar", str(jar))
    return env


def open_install(root: Path, env: dict, java: str) -> SpindleInstall:
    """The SpindleInstall that install_kernelspec(root, java) made, checked to resolve inside root."""
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
                end_process(self.process)
            with contextlib.suppress(Exception):
                self.km.cleanup_resources()
        if self._out is not None:
            self._out.close()
            self._out = None


class SharedKernel:
    """The kernel a module's tests share; replaced when a test killed or wedged it."""

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

