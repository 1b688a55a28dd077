"""The notebook's main thread (issue 10): every statement of every cell runs on one long-lived
thread named "main", as IPython runs every cell on its main thread, so thread-owned state
(locks, ThreadLocals, a ProcessLock) lasts across statements and cells. An interrupt stops the
running statement and main lives on for the next cell; the threads and pool tasks a cell starts
are still its own (an interrupt stops them, their output lands in it).

Also from issue 11: a default uncaught-exception handler set by a cell is called for later
cells' threads and pool threads, as in a plain JVM, and Workers.live() is empty once the
workers that stopAll() or an interrupt stopped have ended.

Runs on JDK 17 and 25 (install/spindle runs it with Java 25 too). Every wait is bounded; the
only polls are bounded joins inside the kernel."""
from __future__ import annotations

import re
import time

import pytest

from support.children import PROCESS_CELL_TIMEOUT, child_jvms
from support.messages import collect

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")

INTERRUPT_REPLY_TIMEOUT = 10.0


def _run_and_interrupt(k, code: str, reply_timeout: float = INTERRUPT_REPLY_TIMEOUT):
    """Starts `code` (which prints 'started' once it runs), interrupts it once that arrived and
    returns (result, seconds from interrupt to reply, msg_id)."""
    kc = k.kc
    msg_id = kc.execute(code)
    k.mailbox.wait_iopub(
        lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream"
        and "started" in m["content"]["text"], timeout=PROCESS_CELL_TIMEOUT, what="the cell to start")
    assert msg_id not in k.mailbox.shell_by_parent, "the cell finished before it was interrupted"
    t0 = time.monotonic()
    k.km.interrupt_kernel()
    res = collect(kc, msg_id, timeout=reply_timeout)
    return res, time.monotonic() - t0, msg_id


def _assert_interrupted(res):
    assert res.status == "error", res
    assert re.search(r"interrupt", res.ename + " " + res.evalue, re.I), res


# ------------------------------------------------------------------ one thread, state kept

def test_every_statement_and_cell_runs_on_one_thread_named_main(kernel):
    res = kernel.execute(
        "var firstMain = Thread.currentThread();\n"
        "var secondStatement = Thread.currentThread();\n"
        'System.out.println((firstMain == secondStatement) + " " + firstMain.getName() + " daemon "'
        " + firstMain.isDaemon());").assert_ok()
    assert "true main daemon false" in res.stdout, res
    assert kernel.execute("Thread.currentThread() == firstMain").assert_ok().text == "true"
    assert kernel.execute("Thread.currentThread().getName()").assert_ok().text == '"main"'


def test_a_reentrant_lock_is_held_across_statements_and_cells(kernel):
    res = kernel.execute(
        "var lock = new ReentrantLock();\n"
        "lock.lock();\n"
        'System.out.println("held " + lock.isHeldByCurrentThread());\n'
        "lock.unlock();\n"
        'System.out.println("locked " + lock.isLocked());').assert_ok()
    assert "held true" in res.stdout and "locked false" in res.stdout, res
    kernel.execute("lock.lock();").assert_ok()
    assert kernel.execute("lock.isHeldByCurrentThread()").assert_ok().text == "true"
    res = kernel.execute(
        "var otherGotIt = new java.util.concurrent.atomic.AtomicBoolean(true);\n"
        "var other = new Thread(() -> otherGotIt.set(lock.tryLock()));\n"
        "other.start();\n"
        "other.join();\n"
        "otherGotIt.get()").assert_ok()
    assert res.text == "false", f"another thread took the lock main holds:\n{res}"
    res = kernel.execute("lock.unlock();\nlock.isLocked()").assert_ok()
    assert res.text == "false", res


def test_a_thread_local_is_kept_across_statements_and_cells(kernel):
    res = kernel.execute(
        "var local = new ThreadLocal<String>();\n"
        'local.set("kept");\n'
        "local.get()").assert_ok()
    assert res.text == '"kept"', res
    assert kernel.execute("local.get()").assert_ok().text == '"kept"'


def test_a_process_lock_is_held_from_one_cell_to_the_next_while_a_child_waits(kernel):
    kernel.execute("var plock = new ProcessLock();\n"
                   "var plockHeld = plock.acquire();").assert_ok()
    res = kernel.execute(
        "var trying = new SharedEvent();\n"
        'var lockWaiter = Workers.process("lock-waiter", () -> {\n'
        "    trying.set();\n"
        '    try (var held = plock.acquire()) { return "got it"; }\n'
        "});\n"
        "lockWaiter.start();\n"
        'System.out.println("trying " + trying.await(Duration.ofSeconds(60)));\n'
        # the lock is held by main: the child cannot have it, however long it tries
        'System.out.println("early " + lockWaiter.join(Duration.ofMillis(500)));',
        timeout=PROCESS_CELL_TIMEOUT + 10).assert_ok()
    assert "trying true" in res.stdout and "early false" in res.stdout, res
    res = kernel.execute("plockHeld.close();").assert_ok()
    res = kernel.execute('lockWaiter.join(Duration.ofSeconds(60)) + " " + lockWaiter.result()',
                         timeout=PROCESS_CELL_TIMEOUT + 10).assert_ok()
    assert res.text == '"true got it"', f"the child did not get the lock after main released it:\n{res}"


# ------------------------------------------------------------------ interrupts

@pytest.mark.parametrize("code", [
    pytest.param('{\n  long n = 0;\n  while (true) { if (++n == 1_000_000) System.out.println("started"); }\n}',
                 id="busy-loop"),
    pytest.param('{\n  System.out.println("started");\n  Thread.sleep(600_000);\n}', id="sleep"),
    pytest.param('{\n  var q = new LinkedBlockingQueue<String>();\n  System.out.println("started");\n  q.take();\n}',
                 id="queue-take"),
    pytest.param('{\n  var monitor = new Object();\n'
                 '  synchronized (monitor) { System.out.println("started"); monitor.wait(); }\n}', id="wait"),
])
def test_an_interrupt_stops_the_statement_and_main_lives_on(kernel, code):
    kernel.execute("var mainBefore = Thread.currentThread();\n"
                   "var mainLocal = new ThreadLocal<String>();\n"
                   'mainLocal.set("survives");').assert_ok()
    res, took, _ = _run_and_interrupt(kernel, code)
    _assert_interrupted(res)
    assert took < INTERRUPT_REPLY_TIMEOUT
    res = kernel.execute('(Thread.currentThread() == mainBefore) + " " + mainLocal.get()'
                         ' + " interrupted " + Thread.currentThread().isInterrupted()').assert_ok()
    assert res.text == '"true survives interrupted false"', \
        f"the next cell did not run on the same main thread, or the interrupt leaked into it:\n{res}"
    res = kernel.execute("Thread.sleep(1);\n6 * 7").assert_ok()
    assert res.text == "42", res


def test_threads_and_pool_tasks_of_an_interrupted_cell_stop_with_it(kernel):
    # The pool's threads are made by an earlier cell: its task is still the interrupted cell's.
    kernel.execute("var earlierPool = Pools.threads(2);\n"
                   "var warm = List.of(earlierPool.submit(() -> 1), earlierPool.submit(() -> 2));\n"
                   "for (var f : warm) f.get();").assert_ok()
    code = ('var sleeper = new Thread(() -> {\n'
            '    try { Thread.sleep(600_000); } catch (InterruptedException e) { System.out.println("sleeper interrupted"); }\n'
            '}, "sleeper");\n'
            'var spinner = new Thread(() -> { long n = 0; while (n >= 0) n++; }, "spinner");\n'
            'var pooled = earlierPool.submit(() -> { Thread.sleep(600_000); return "slept"; });\n'
            "sleeper.start();\n"
            "spinner.start();\n"
            'System.out.println("started");\n'
            "sleeper.join();")
    res, took, msg_id = _run_and_interrupt(kernel, code)
    _assert_interrupted(res)
    # what the interrupted thread printed went to the cell that started it
    kernel.mailbox.wait_iopub(
        lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream"
        and "sleeper interrupted" in m["content"]["text"], timeout=10, what="the sleeper's output in its cell")
    res = kernel.execute(
        "sleeper.join(10_000);\n"
        "spinner.join(10_000);\n"
        "String pooledEnd;\n"
        "try { pooledEnd = \"value \" + pooled.get(10, TimeUnit.SECONDS); }\n"
        "catch (ExecutionException e) { pooledEnd = \"failed \" + e.getCause().getClass().getSimpleName(); }\n"
        "catch (TimeoutException e) { pooledEnd = \"still running\"; }\n"
        'System.out.println("sleeper " + sleeper.isAlive() + " spinner " + spinner.isAlive() + " pooled " + pooledEnd);\n'
        "earlierPool.shutdownNow();", timeout=60).assert_ok()
    assert "sleeper false spinner false pooled failed InterruptedException" in res.stdout, res


# ------------------------------------------------------------------ uncaught exceptions

def test_a_thread_without_a_handler_prints_its_exception_to_its_cell(kernel):
    res = kernel.execute(
        'var plain = new Thread(() -> { throw new IllegalStateException("printed to the cell"); }, "plain");\n'
        "plain.start();\n"
        "plain.join();").assert_ok()
    assert 'Exception in thread "plain"' in res.stderr and "printed to the cell" in res.stderr, res


def test_a_default_uncaught_exception_handler_serves_threads_and_pools_of_later_cells(kernel):
    kernel.execute(
        "var uncaught = new CopyOnWriteArrayList<String>();\n"
        "var handled = new CountDownLatch(2);\n"
        "Thread.setDefaultUncaughtExceptionHandler((t, e) -> {\n"
        '    uncaught.add(t.getName() + ": " + e.getMessage());\n'
        "    handled.countDown();\n"
        "});").assert_ok()
    try:
        res = kernel.execute(
            'var thrower = new Thread(() -> { throw new IllegalStateException("from a thread"); }, "thrower");\n'
            "thrower.start();\n"
            "thrower.join();\n"
            "var handlerPool = Pools.threads(1);\n"
            'handlerPool.execute(() -> { throw new IllegalStateException("from a pool task"); });').assert_ok()
        assert "from a thread" not in res.stderr, f"the handler was not used, the exception was printed:\n{res}"
        res = kernel.execute('handled.await(20, TimeUnit.SECONDS) + " " + uncaught', timeout=40).assert_ok()
        assert res.text.startswith('"true '), f"the handler was not called for both:\n{res}"
        assert "thrower: from a thread" in res.text and "from a pool task" in res.text, res
    finally:
        kernel.execute("Thread.setDefaultUncaughtExceptionHandler(null);")
        kernel.execute("handlerPool.shutdownNow();")  # fails harmlessly if the cell above did


# ------------------------------------------------------------------ Workers.live()

def test_live_is_empty_once_the_workers_stop_all_stopped_have_ended(kernel, child_jvm_reaper):
    res = kernel.execute(
        "var stoppable = List.<Worker<?>>of(\n"
        '    Workers.thread("sleepy", () -> { Thread.sleep(600_000); return 0; }),\n'
        '    Workers.thread("latched", () -> { new CountDownLatch(1).await(); return 0; }),\n'
        '    Workers.process("blocked", () -> { new CountDownLatch(1).await(); return 0; }));\n'
        "stoppable.forEach(Worker::start);\n"
        'System.out.println("pid " + stoppable.get(2).pid());\n'
        'System.out.println("stopped " + Workers.stopAll());\n'
        "boolean allEnded = true;\n"
        "for (var w : stoppable) allEnded &= w.join(Duration.ofSeconds(30));\n"
        'System.out.println("ended " + allEnded + " live " + Workers.live());',
        timeout=PROCESS_CELL_TIMEOUT + 40).assert_ok()
    child_jvm_reaper.update(int(p) for p in re.findall(r"pid (\d+)", res.stdout))
    assert "ended true live []" in res.stdout, res


def test_live_is_empty_once_the_workers_of_an_interrupted_cell_have_ended(start_kernel, child_jvm_reaper):
    """Most of this cell's time is spent inside Worker.start() of a child JVM, so the interrupt
    usually arrives while a worker is still starting: it must be stopped too, not left running."""
    k = start_kernel()
    code = ("{\n"
            '    System.out.println("started");\n'
            "    for (int i = 0; i < 200; i++) {\n"
            '        Workers.process("starter-" + i, () -> { new CountDownLatch(1).await(); return 0; }).start();\n'
            '        Workers.thread("napper-" + i, () -> { Thread.sleep(600_000); return 0; }).start();\n'
            "    }\n"
            "    new CountDownLatch(1).await();\n"
            "}")
    try:
        res, took, _ = _run_and_interrupt(k, code)
        _assert_interrupted(res)
        res = k.execute(
            "for (var w : Workers.live()) w.join(Duration.ofSeconds(20));\n"
            "Workers.live()", timeout=60).assert_ok()
        assert res.text == "[]", f"workers of the interrupted cell are still running:\n{res}"
    finally:
        if k.is_alive():
            child_jvm_reaper.update(child_jvms(ppid=k.pid))
