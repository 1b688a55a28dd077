"""Cells that try to take the kernel down: exit, OOM, stack overflow, Errors,
runaway loops that must be interrupted, and memory across many reruns.
After each, the kernel must still answer `1 + 1`."""
from __future__ import annotations

import re
import time

import pytest

from support.messages import collect, request

INTERRUPT_REPLY_TIMEOUT = 10.0
UNSTOPPABLE_REPLY_TIMEOUT = 30.0


# ------------------------------------------------------------------ exit

@pytest.mark.parametrize("code", [
    pytest.param("System.exit(3);", id="System.exit"),
    pytest.param("Runtime.getRuntime().exit(1);", id="Runtime.exit"),
    pytest.param("Runtime.getRuntime().halt(1);", id="Runtime.halt"),
])
def test_exit_is_refused(kernel, code):
    pid = kernel.pid
    res = kernel.execute(code, timeout=30)
    assert res.status == "error", res
    assert re.search(r"exit|halt", res.all_text(), re.I), f"no clear message about exiting:\n{res}"
    assert kernel.is_alive() and kernel.pid == pid, "the kernel process exited\n" + kernel.diagnostics()
    kernel.assert_usable()


def test_exit_from_another_thread(kernel):
    code = ("var exiter = new Thread(() -> System.exit(4));\n"
            "exiter.start();\nexiter.join();\n\"joined\"")
    res = kernel.execute(code, timeout=30)
    assert kernel.is_alive(), "a thread calling System.exit killed the kernel\n" + kernel.diagnostics()
    assert res.reply is not None
    kernel.assert_usable()


# ------------------------------------------------------------------ Errors

def test_out_of_memory(start_kernel):
    k = start_kernel()
    res = k.execute("long[][] a = new long[100000][];\n"
                    "for (int i = 0; i < a.length; i++) a[i] = new long[1_000_000];", timeout=180)
    assert res.status == "error", res
    assert "OutOfMemoryError" in res.ename, res
    k.assert_usable(timeout=60)


def test_stack_overflow(kernel):
    kernel.execute("int down(int n) { return down(n + 1) + 1; }").assert_ok()
    res = kernel.execute("down(0)", timeout=60)
    assert res.status == "error", res
    assert "StackOverflowError" in res.ename, res
    assert len(res.traceback) < 200_000, "the traceback of a stack overflow is not trimmed"
    kernel.assert_usable()


@pytest.mark.parametrize("define, throw, ename", [
    pytest.param('class Doom extends Error { Doom(String m) { super(m); } }', 'throw new Doom("fatal-ish");',
                 "Doom", id="custom-Error"),
    pytest.param("", 'throw new AssertionError("asserted");', "AssertionError", id="AssertionError"),
    pytest.param("", 'throw new InternalError("internal");', "InternalError", id="InternalError"),
])
def test_error_subclass(kernel, define, throw, ename):
    if define:
        kernel.execute(define).assert_ok()
    res = kernel.execute(throw)
    assert res.status == "error", res
    assert ename in res.ename, res
    kernel.assert_usable()


# ------------------------------------------------------------------ interrupt

def _run_and_interrupt(k, code: str, reply_timeout: float = INTERRUPT_REPLY_TIMEOUT):
    """Starts `code` (which prints 'started' first), waits until it is running,
    interrupts it through KernelManager (interrupt_request on control) and returns
    (result, seconds from interrupt to reply)."""
    kc = k.kc
    msg_id = kc.execute(code)
    k.mailbox.wait_iopub(
        lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream"
        and "started" in m["content"]["text"], timeout=60, what="the cell to start")
    assert msg_id not in k.mailbox.shell_by_parent, "cell finished before it was interrupted"
    t0 = time.monotonic()
    k.km.interrupt_kernel()
    res = collect(kc, msg_id, timeout=reply_timeout)
    return res, time.monotonic() - t0


def _assert_interrupted(res):
    assert res.status == "error", res
    assert re.search(r"interrupt", res.ename + " " + res.evalue, re.I), \
        f"ename/evalue do not say the cell was interrupted:\n{res}"


# Each cell is one block, so one JShell snippet: once "started" is printed the
# interrupt can only hit the waiting/looping code itself, not a snippet boundary.
@pytest.mark.parametrize("code", [
    pytest.param('{\n  System.out.println("started");\n  Thread.sleep(60_000);\n}', id="sleep"),
    pytest.param('{\n  long n = 0;\n  while (true) { if (++n == 1_000_000) System.out.println("started"); }\n}',
                 id="busy-loop"),
    pytest.param('{\n  System.out.println("started");\n  while (true) {}\n}', id="empty-loop"),
    pytest.param('{\n  var spinner = new Thread(() -> { while (true) {} });\n  spinner.start();\n'
                 '  System.out.println("started");\n  spinner.join();\n}', id="join-spinning-thread"),
    pytest.param('{\n  var lock = new Object();\n'
                 '  synchronized (lock) { System.out.println("started"); lock.wait(); }\n}', id="wait"),
])
def test_interrupt(start_kernel, code):
    k = start_kernel()
    res, took = _run_and_interrupt(k, code)
    _assert_interrupted(res)
    assert took < INTERRUPT_REPLY_TIMEOUT
    k.assert_usable()


def test_interrupt_then_more_cells(start_kernel):
    k = start_kernel()
    _run_and_interrupt(k, '{\n  System.out.println("started");\n  while (true) {}\n}')
    k.execute("int afterInterrupt = 5;").assert_ok()
    assert k.execute("afterInterrupt * 2").assert_ok().text == "10"
    res, _ = _run_and_interrupt(k, '{\n  System.out.println("started");\n  Thread.sleep(60_000);\n}')
    _assert_interrupted(res)
    k.assert_usable()


def test_interrupt_when_idle_is_harmless(kernel):
    # sent by hand (not KernelManager.interrupt_kernel) to wait for the interrupt_reply,
    # so the next cell is sent only after the kernel has handled the interrupt
    reply = request(kernel.kc, "interrupt_request", {}, channel="control", timeout=10)
    assert reply["msg_type"] == "interrupt_reply"
    assert reply["content"].get("status") == "ok", reply["content"]
    kernel.assert_usable()


LIBRARY_LOOP = ('{\n  System.out.println("started");\n'
                '  System.out.println(java.util.stream.LongStream.range(0, Long.MAX_VALUE).sum());\n}')
_LOOP_THREADS = (
    "Thread.getAllStackTraces().values().stream()\n"
    "    .filter(st -> java.util.Arrays.stream(st).anyMatch(f -> f.getClassName().contains(\"RangeLongSpliterator\")))\n"
    "    .count()")


def test_library_loop_is_stopped_before_jdk20(start_kernel, java_major):
    """Up to JDK 19 the kernel can stop a thread anywhere (Thread.stop), even in JDK code."""
    if java_major >= 20:
        pytest.skip(f"JDK {java_major} has no Thread.stop: see test_library_loop_reported_unstoppable")
    k = start_kernel()
    res, took = _run_and_interrupt(k, LIBRARY_LOOP)
    _assert_interrupted(res)
    k.assert_usable()
    assert k.eval_int(_LOOP_THREADS) == 0, "the interrupted LongStream loop is still running"


def test_library_loop_reported_unstoppable(start_kernel, java_major):
    """Expected behaviour on JDK 20+ (Thread.stop is gone): a loop inside JDK code
    cannot be stopped in-process. The cell must say so (not claim it stopped) and
    the kernel must stay usable."""
    if java_major < 20:
        pytest.skip(f"JDK {java_major} can stop it: see test_library_loop_is_stopped_before_jdk20")
    k = start_kernel()
    res, took = _run_and_interrupt(k, LIBRARY_LOOP, reply_timeout=UNSTOPPABLE_REPLY_TIMEOUT)
    assert res.status == "error", res
    k.assert_usable()
    still_running = k.eval_int(_LOOP_THREADS)
    print(f"threads still in the loop: {still_running}\n{res}")
    text = res.all_text()
    says_unstoppable = re.search(r"(could ?not|couldn't|cannot|can't|unable to)\s+(be\s+)?stop", text, re.I)
    if still_running:
        assert says_unstoppable, (
            f"the LongStream loop is still running ({still_running} thread(s)), "
            f"but the cell does not say it could not be stopped:\n{res}")
    else:  # the kernel found a way to stop it after all: then it must not claim otherwise
        assert not says_unstoppable, res


# ------------------------------------------------------------------ memory over reruns

_USED_HEAP = ("System.gc(); System.gc();\n"
              "Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()")
_RERUN_CELL = ("class Rerun { final byte[] payload = new byte[128 * 1024]; int v = 42; }\n"
               "Rerun rerun = new Rerun();")


@pytest.mark.slow
def test_reruns_do_not_leak(start_kernel):
    k = start_kernel()
    kc = k.kc

    def rerun(times: int, batch: int = 50):
        done = 0
        while done < times:
            n = min(batch, times - done)
            ids = [kc.execute(_RERUN_CELL) for _ in range(n)]
            for i in ids:
                res = collect(kc, i, timeout=60)
                assert res.status == "ok", res
            done += n

    rerun(20)
    before = k.eval_int(_USED_HEAP)
    rerun(1000)
    after = k.eval_int(_USED_HEAP)
    grown = (after - before) / 2**20
    print(f"used heap before {before / 2**20:.1f} MB, after 1000 reruns {after / 2**20:.1f} MB")
    assert grown < 64, f"heap grew by {grown:.1f} MB over 1000 reruns (each leaked rerun holds 128 KB)"
    k.assert_usable()


def test_interrupting_a_deadlock_names_the_blocked_threads(start_kernel):
    """The classic two-lock deadlock: interrupt returns the cell, names the two threads that
    are still blocked, and a request sent the moment the reply arrives runs (not aborted)."""
    k = start_kernel()
    code = ('var lockA = new Object(); var lockB = new Object();\n'
            'var both = new CountDownLatch(2);\n'
            'var t1 = Workers.thread("t1", () -> { synchronized (lockA) { both.countDown();'
            ' try { both.await(); } catch (InterruptedException e) { } synchronized (lockB) { } } });\n'
            'var t2 = Workers.thread("t2", () -> { synchronized (lockB) { both.countDown();'
            ' try { both.await(); } catch (InterruptedException e) { } synchronized (lockA) { } } });\n'
            't1.start(); t2.start();\n'
            'both.await();\n'
            'System.out.println("started");\n'
            't1.join(); t2.join();')
    res, took = _run_and_interrupt(k, code)
    _assert_interrupted(res)
    assert took < INTERRUPT_REPLY_TIMEOUT
    assert "still alive" in res.traceback and '"t1"' in res.traceback and '"t2"' in res.traceback, res.traceback
    follow = collect(k.kc, k.kc.execute("6 * 7"), timeout=30)
    assert follow.status == "ok", follow
    assert follow.text == "42", follow
