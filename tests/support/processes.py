"""Ending the processes a test started, and finding processes through /proc.

``end_process`` is the one way the tests stop a process they started (a kernel, a JupyterLab
server, a reports run, an nbclient kernel): it leaves an exited process alone, can be polite
first (SIGTERM, then SIGKILL after a grace period) and can take the whole process group.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path
from typing import Iterator


def end_process(proc: subprocess.Popen | None, *, group: bool = False, grace: float = 0.0,
                wait: float = 10.0) -> None:
    """Ends `proc` unless it has exited already: SIGTERM first when `grace` > 0 (and SIGKILL
    if it still runs `grace` s later), else SIGKILL at once; then waits up to `wait` s for
    it. With group=True the signals go to its whole process group (a process started with
    start_new_session=True, and every child it started)."""
    if proc is None or proc.poll() is not None:
        return

    def send(sig: int) -> None:
        with contextlib.suppress(OSError):
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)

    if grace > 0:
        send(signal.SIGTERM)
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            pass
    send(signal.SIGKILL)
    proc.wait(wait)


# ------------------------------------------------------------------ /proc

def _proc_read(pid: int, name: str) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return None


def all_pids() -> Iterator[int]:
    """Every pid in /proc except this process's own."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != me:
            yield int(entry)


def cmdline(pid: int) -> list[str] | None:
    """The arguments of a process (as /proc has them), or None if it is gone."""
    raw = _proc_read(pid, "cmdline")
    return None if raw is None else raw.decode(errors="replace").split("\0")


def proc_state(pid: int) -> tuple[str, int] | None:
    """(state letter, ppid) of a process, or None if it is not in the process table."""
    raw = _proc_read(pid, "stat")
    if raw is None:
        return None
    text = raw.decode(errors="replace")
    rest = text[text.rfind(")") + 2:].split()
    return rest[0], int(rest[1])


def is_running(pid: int) -> bool:
    """In the process table and not a zombie (an exited child nobody reaped yet)."""
    st = proc_state(pid)
    return st is not None and st[0] not in ("Z", "X")


def kill(pid: int) -> bool:
    """SIGKILLs pid; False if it was gone or not ours."""
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except OSError:  # gone already, or not ours
        return False


def kill_mentioning(marker: str) -> None:
    """Kills any process whose command line mentions `marker` (a path under one test's temp
    dir, e.g. a Jupyter runtime dir holding kernels' connection files): only ours carry it."""
    for pid in all_pids():
        args = cmdline(pid)
        if args is not None and marker in " ".join(args):
            kill(pid)


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MB, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"no VmRSS for pid {pid}")
