"""Child JVMs never outlive what started them: stop() and Workers.stopAll(), interrupting
the cell that started them, kernel shutdown and restart, and a kernel killed with SIGKILL
(the children see EOF on their stdin and exit by themselves). The idle spare child JVMs the
kernel keeps after its first process start count as children too.

Children are found through /proc (see support/children.py): by parent pid while the kernel
lives, and by working directory (the kernel's private run directory, which children
inherit) once it is gone. Every wait is bounded; nothing sleeps to synchronise. Whatever a
destructive test leaves behind is killed by pid at its end."""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from support.children import PROCESS_CELL_TIMEOUT, child_jvms, is_child_jvm, kill_child_jvms, numbers, \
    wait_for_children, wait_until_gone
from support.messages import collect
from support.processes import proc_state

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")

GONE_AFTER_INTERRUPT = 3.0     # polite stop, then force after 2 s
GONE_AFTER_KERNEL_EXIT = 3.0   # children see EOF on stdin and exit
SPARE_WAIT = 20.0              # the spare child JVM starts in the background

BLOCK_FOREVER = ('var forever = Workers.process("forever", () -> { new CountDownLatch(1).await(); return 0; });\n'
                 "forever.start();\n"
                 "forever.pid()")


@pytest.fixture
def reaper(child_jvm_reaper):
    """Pids a destructive test registers; any still running at its end is killed."""
    pids: set[int] = set()
    yield pids
    child_jvm_reaper.update(pids)
    killed = kill_child_jvms(pids)
    if killed:
        print(f"\nkilled leftover child JVMs: {sorted(killed)}")


def _start_blocked_child(k, reaper) -> tuple[int, set[int]]:
    """Starts a child that blocks forever; returns its pid and all child JVMs of the kernel
    once the spare has appeared too (or the spare wait ran out)."""
    res = k.execute(BLOCK_FOREVER, timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = int(res.text)
    reaper.add(pid)
    st = proc_state(pid)
    assert st is not None and is_child_jvm(pid) and st[1] == k.pid, \
        f"pid {pid} is not a running child JVM of the kernel {k.pid}: {st}"
    children = wait_for_children(k, at_least=2, timeout=SPARE_WAIT)
    reaper.update(children)
    assert pid in children
    return pid, children


# ------------------------------------------------------------------ stop / stopAll / live

def test_stop_ends_a_blocked_child(kernel, reaper):
    res = kernel.execute(
        'var sleeper = Workers.process("sleeper", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "sleeper.start();\n"
        'System.out.println("pid " + sleeper.pid());\n'
        'System.out.println("early " + sleeper.join(Duration.ofMillis(300)) + " alive " + sleeper.isAlive()'
        ' + " exit " + sleeper.exitCode() + " exception " + sleeper.exception().isPresent());',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = numbers(r"pid (\d+)", res.stdout)[0]
    reaper.add(pid)
    assert "early false alive true exit null exception false" in res.stdout, res
    res = kernel.execute(
        "sleeper.stop();\n"
        'System.out.println("ended " + sleeper.join(Duration.ofSeconds(10)) + " exit " + sleeper.exitCode());',
        timeout=30).assert_ok()
    assert "ended true" in res.stdout, res
    code = numbers(r"exit (\d+)", res.stdout)
    assert code and code[0] in (137, 143), f"a stopped child exits with 143 (or 137 when forced):\n{res}"
    assert not wait_until_gone([pid], timeout=3), f"stopped child {pid} still runs"
    res = kernel.execute("sleeper.result()")
    assert res.status == "error" and "WorkerFailedException" in res.ename, res


def test_stop_forces_a_child_that_does_not_answer(kernel, reaper):
    res = kernel.execute(
        'var frozen = Workers.process("frozen", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "frozen.start();\n"
        "frozen.pid()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = int(res.text)
    reaper.add(pid)
    assert is_child_jvm(pid) and proc_state(pid)[1] == kernel.pid
    os.kill(pid, signal.SIGSTOP)  # neither the stop frame nor SIGTERM can reach it now
    t0 = time.monotonic()
    res = kernel.execute(
        "frozen.stop();\n"
        'System.out.println("ended " + frozen.join(Duration.ofSeconds(10)) + " exit " + frozen.exitCode());',
        timeout=30).assert_ok()
    took = time.monotonic() - t0
    assert "ended true exit 137" in res.stdout, f"a child that ignores the polite stop must be killed:\n{res}"
    assert took < 4.0, f"the forced stop took {took:.1f}s (grace period is 2 s)"
    assert not wait_until_gone([pid], timeout=2), f"child {pid} still runs"


def test_live_lists_running_workers_and_stop_all_ends_them(kernel, reaper):
    res = kernel.execute(
        'var idleChild = Workers.process("idle-child", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "idleChild.start();\n"
        'var idleThread = Workers.thread("idle-thread", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "idleThread.start();\n"
        "idleChild.pid()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    started_in = res.execution_count
    pid = int(res.text)
    reaper.add(pid)
    res = kernel.execute("Workers.live().forEach(System.out::println);").assert_ok()
    lines = res.stdout.splitlines()
    child_line = [ln for ln in lines if "idle-child" in ln]
    thread_line = [ln for ln in lines if "idle-thread" in ln]
    assert child_line and thread_line, f"live() does not list both workers:\n{res}"
    assert str(pid) in child_line[0], res
    assert f"cell [{started_in}]" in child_line[0], f"live() does not name the cell that started it:\n{res}"
    res = kernel.execute(
        "int stopped = Workers.stopAll();\n"
        "boolean childEnded = idleChild.join(Duration.ofSeconds(10));\n"
        "boolean threadEnded = idleThread.join(Duration.ofSeconds(10));\n"
        'System.out.println("stopped " + stopped + " child " + childEnded + " thread " + threadEnded'
        ' + " live " + Workers.live().size());', timeout=30).assert_ok()
    assert numbers(r"stopped (\d+)", res.stdout)[0] >= 2, res
    assert "child true thread true live 0" in res.stdout, res
    assert not wait_until_gone([pid], timeout=5), f"child {pid} still runs after stopAll()"


# ------------------------------------------------------------------ interrupt

def test_interrupting_a_cell_kills_the_children_it_started(kernel, reaper):
    kc = kernel.kc
    # a child started by an earlier cell is not the interrupted cell's: it must survive
    res = kernel.execute(
        'var bystander = Workers.process("bystander", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "bystander.start();\n"
        "bystander.pid()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    bystander = int(res.text)
    reaper.add(bystander)
    code = ("{\n"
            "    List<Worker<?>> spinners = new ArrayList<>();\n"
            '    spinners.add(Workers.process("spin", () -> { while (true) Thread.onSpinWait(); }));\n'
            "    for (int i = 0; i < 2; i++)\n"
            '        spinners.add(Workers.process("nap-" + i, () -> { while (true) Thread.sleep(1000); }));\n'
            "    for (var w : spinners) w.start();\n"
            '    for (var w : spinners) System.out.println("child pid " + w.pid());\n'
            '    System.out.println("started");\n'
            "    for (var w : spinners) w.join();\n"
            "}")
    msg_id = kc.execute(code)
    mb = kernel.mailbox

    def cell_stdout():
        return "".join(m["content"]["text"] for m in mb.iopub_by_parent.get(msg_id, [])
                       if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    mb.wait_for(lambda: "started" in cell_stdout(), timeout=PROCESS_CELL_TIMEOUT, what="the children to start")
    pids = numbers(r"child pid (\d+)", cell_stdout())
    reaper.update(pids)
    assert len(pids) == 3, cell_stdout()
    for pid in pids:
        st = proc_state(pid)
        assert st is not None and is_child_jvm(pid) and st[1] == kernel.pid, f"{pid}: {st}"
    assert msg_id not in mb.shell_by_parent, "the cell finished before it was interrupted"
    # one child cannot answer the polite stop: only the forced end after the grace period ends it
    os.kill(pids[-1], signal.SIGSTOP)

    t0 = time.monotonic()
    kernel.km.interrupt_kernel()
    res = collect(kc, msg_id, timeout=10)
    assert res.status == "error", res
    survivors = wait_until_gone(pids, timeout=GONE_AFTER_INTERRUPT)
    took = time.monotonic() - t0
    assert not survivors, f"children {sorted(survivors)} still run {took:.1f}s after the interrupt"
    kernel.assert_usable()
    assert is_child_jvm(bystander) and proc_state(bystander)[0] not in ("Z", "X"), \
        "interrupting a cell killed a child JVM started by an earlier cell"
    res = kernel.execute("Workers.live().stream().map(Worker::name).toList()").assert_ok()
    assert "bystander" in res.text and not re.search(r"spin|nap-", res.text), \
        f"only the earlier cell's worker should still be live:\n{res}"
    res = kernel.execute("bystander.stop();\nbystander.join(Duration.ofSeconds(10))", timeout=30).assert_ok()
    assert res.text == "true", res


# ------------------------------------------------------------------ shutdown, restart, SIGKILL

def test_shutdown_leaves_no_child_jvm(start_kernel, reaper):
    k = start_kernel()
    pid, children = _start_blocked_child(k, reaper)
    children |= child_jvms(ppid=k.pid)
    reaper.update(children)
    reply = k.request("shutdown_request", {"restart": False}, channel="control", timeout=20)
    assert reply["content"].get("status", "ok") == "ok", reply
    try:
        k.process.wait(timeout=15)
    except Exception:  # noqa: BLE001
        pytest.fail("the kernel did not exit within 15 s of shutdown_request\n" + k.diagnostics())
    t0 = time.monotonic()
    survivors = wait_until_gone(children, timeout=GONE_AFTER_KERNEL_EXIT)
    survivors |= child_jvms(cwd=k.dir)
    assert not survivors, (
        f"child JVMs {sorted(survivors)} still run {time.monotonic() - t0:.1f}s after the kernel shut down "
        f"(children were {sorted(children)}; the blocked task was {pid})")


def test_restart_leaves_no_child_jvm_of_the_old_kernel(start_kernel, reaper):
    k = start_kernel()
    old_pid = k.pid
    pid, children = _start_blocked_child(k, reaper)
    children |= child_jvms(ppid=old_pid)
    reaper.update(children)
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=90)
    assert k.pid != old_pid
    survivors = wait_until_gone(children, timeout=GONE_AFTER_KERNEL_EXIT)
    assert not survivors, f"child JVMs {sorted(survivors)} of the old kernel survived its restart"
    res = k.execute('var again = Workers.process("again", () -> 6 * 7);\nagain.start();\nagain.result()',
                    timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "42", res
    reaper.update(child_jvms(ppid=k.pid))


def test_children_exit_by_themselves_when_the_kernel_is_killed(start_kernel, reaper):
    k = start_kernel()
    pid, children = _start_blocked_child(k, reaper)
    children |= child_jvms(ppid=k.pid)
    reaper.update(children)
    os.kill(k.pid, signal.SIGKILL)
    t0 = time.monotonic()
    k.process.wait(timeout=10)
    survivors = wait_until_gone(children, timeout=GONE_AFTER_KERNEL_EXIT)
    took = time.monotonic() - t0
    survivors |= child_jvms(cwd=k.dir)
    assert not survivors, (
        f"child JVMs {sorted(survivors)} still run {took:.1f}s after the kernel was SIGKILLed "
        f"(children were {sorted(children)})")


# ------------------------------------------------------------------ spares

def test_spares_follow_how_many_processes_ran_at_once(start_kernel, reaper):
    """Two processes started together leave two idle spares (at most one per core), which
    the next two processes take; keepSpareProcess(false) ends them."""
    k = start_kernel()
    # Both tasks wait for the event, so they surely run at once (a trivial task on a spare
    # can end before the next start() is even called; then they did not run at once).
    res = k.execute("var go = new SharedEvent();\n"
                    'var p1 = Workers.process("p1", () -> { go.await(); return 1; });\n'
                    'var p2 = Workers.process("p2", () -> { go.await(); return 2; });\n'
                    "p1.start(); p2.start(); go.set();\n"
                    "p1.result() + p2.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "3", res
    # The two workers' JVMs exit after their results arrive: count spares once they are gone.
    workers = set(numbers(r"(\d+)", k.execute('p1.pid() + " " + p2.pid()').assert_ok().text))
    reaper.update(workers)
    assert not wait_until_gone(workers, timeout=GONE_AFTER_KERNEL_EXIT), f"workers {workers} did not exit"
    want = min(2, os.cpu_count() or 1)
    spares = wait_for_children(k, at_least=want, timeout=SPARE_WAIT)
    reaper.update(spares)
    assert len(spares) == want, f"expected {want} spare child JVMs after two processes at once, found {spares}"
    res = k.execute('var q1 = Workers.process("q1", () -> 1);\n'
                    'var q2 = Workers.process("q2", () -> 2);\n'
                    "q1.start(); q2.start();\n"
                    "q1.join(); q2.join();\n"
                    'q1.pid() + " " + q2.pid()', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pids = set(numbers(r"(\d+)", res.text))
    assert spares <= pids, f"the two processes {pids} did not run in the spares {spares}"
    k.execute("Workers.keepSpareProcess(false);").assert_ok()
    # Spares that were still starting end as soon as they are up.
    deadline = time.monotonic() + SPARE_WAIT
    while (left := child_jvms(ppid=k.pid)) and time.monotonic() < deadline:
        reaper.update(left)
        wait_until_gone(left, timeout=GONE_AFTER_INTERRUPT)
    assert not child_jvms(ppid=k.pid), "spares survived keepSpareProcess(false)"


def test_idle_spares_retire_and_come_back(start_kernel, reaper):
    """Spares unused for the idle time are ended (their memory freed); the next process
    worker still runs, and spares are kept again after it."""
    k = start_kernel()
    k.execute("Workers.spareIdleTime(java.time.Duration.ofSeconds(2));").assert_ok()
    res = k.execute('var first = Workers.process("first", () -> 1); first.start(); first.result()',
                    timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "1", res
    # The worker's own JVM exits after its result: count spares once it is gone.
    worker = set(numbers(r"(\d+)", k.execute("first.pid()").assert_ok().text))
    reaper.update(worker)
    assert not wait_until_gone(worker, timeout=GONE_AFTER_KERNEL_EXIT), f"worker {worker} did not exit"
    spares = wait_for_children(k, at_least=1, timeout=SPARE_WAIT)
    reaper.update(spares)
    assert spares, "no spare JVM was kept after the first process"
    # Two idle seconds later they are gone (bounded wait, polling /proc).
    assert not wait_until_gone(spares, timeout=2 + SPARE_WAIT), f"idle spares {spares} were not ended"
    res = k.execute('var again = Workers.process("again", () -> 2); again.start(); again.result()',
                    timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "2", res
    back = wait_for_children(k, at_least=1, timeout=SPARE_WAIT)
    reaper.update(back)
    assert back, "spares did not come back after processes were used again"
    k.execute("Workers.keepSpareProcess(false);").assert_ok()
