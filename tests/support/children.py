"""Child JVMs of a kernel, found through /proc: `java ... dev.spindle.child.ChildMain`
processes whose parent is the kernel (or, once the kernel is gone, whose working directory
is the kernel's own run directory, which children inherit).

Used by the worker, pool, IPC and lifecycle tests and by the cleanup fixtures in conftest.py
(``child_jvm_reaper``, ``stop_leftover_workers``). Every wait is bounded.
"""
from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from support.processes import all_pids, cmdline, is_running, kill, proc_state

CHILD_MAIN = "dev.spindle.child.ChildMain"

# A JVM start on a loaded 2-core machine, plus the task: generous, but bounded.
PROCESS_CELL_TIMEOUT = 60.0


def is_child_jvm(pid: int) -> bool:
    args = cmdline(pid)
    return bool(args) and CHILD_MAIN in args


def child_jvms(ppid: int | None = None, cwd: str | Path | None = None) -> set[int]:
    """Running ChildMain JVMs, filtered by parent pid and/or working directory."""
    found = set()
    want_cwd = str(Path(cwd).resolve()) if cwd is not None else None
    for pid in all_pids():
        if not is_child_jvm(pid):
            continue
        st = proc_state(pid)
        if st is None or st[0] in ("Z", "X"):
            continue
        if ppid is not None and st[1] != ppid:
            continue
        if want_cwd is not None:
            try:
                if os.readlink(f"/proc/{pid}/cwd") != want_cwd:
                    continue
            except OSError:
                continue
        found.add(pid)
    return found


def wait_until_gone(pids, timeout: float) -> set[int]:
    """Polls /proc until none of `pids` runs, for at most `timeout` s; returns the survivors."""
    deadline = time.monotonic() + timeout
    pids = set(pids)
    while True:
        alive = {p for p in pids if is_running(p) and is_child_jvm(p)}
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)  # polling interval of a bounded wait, not synchronisation


def kill_child_jvms(pids) -> set[int]:
    """SIGKILLs those of `pids` that are still ChildMain JVMs; returns the ones it killed."""
    return {pid for pid in set(pids) if is_running(pid) and is_child_jvm(pid) and kill(pid)}


def wait_for_children(kernel, at_least: int, timeout: float) -> set[int]:
    """ChildMain children of the kernel once there are `at_least` of them (or at the deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        found = child_jvms(ppid=kernel.pid)
        if len(found) >= at_least or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def stop_workers(kernel, seen: set[int] | None = None) -> None:
    """Test teardown: remember the kernel's child JVMs, stop every live worker."""
    if kernel is None or not kernel.is_alive():
        return
    if seen is not None:
        seen |= child_jvms(ppid=kernel.pid)
    with contextlib.suppress(Exception):
        if kernel.responsive(timeout=5):
            kernel.execute("Workers.stopAll();", timeout=20)


def numbers(pattern: str, text: str) -> list[int]:
    return [int(m) for m in re.findall(pattern, text)]
