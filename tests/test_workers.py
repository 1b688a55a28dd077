"""Workers on threads, virtual threads and child JVMs, driven as a notebook user would:
memory sharing versus copying, pids, many processes, results, exceptions, exit codes,
crashing children, values that cannot be copied into a child, and the settings
(jvmOptions, prefixOutput).

Child JVMs are found through /proc (support/children.py). Every wait is bounded; nothing
sleeps to synchronise. Each test's leftover workers are stopped with Workers.stopAll(), and
every child JVM seen during the module is killed by pid at the end if it is somehow still
alive (conftest.py: stop_leftover_workers, child_jvm_reaper).
"""
from __future__ import annotations

import os
import re
import signal

import pytest

from support.children import PROCESS_CELL_TIMEOUT, is_child_jvm, numbers, wait_until_gone
from support.processes import proc_state

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")

MANY_PROCESSES_TIMEOUT = 150.0


# ------------------------------------------------------------------ memory: share vs copy

def test_thread_shares_the_list_a_process_gets_a_copy(kernel):
    kernel.execute('List<String> shared = new ArrayList<>(List.of("start"));').assert_ok()
    res = kernel.execute(
        'var t = Workers.thread("t1", () -> { shared.add("from thread"); });\n'
        "t.start();\n"
        "t.join();\n"
        'System.out.println("after thread: " + shared);').assert_ok()
    assert "after thread: [start, from thread]" in res.stdout, res

    res = kernel.execute(
        'var p = Workers.process("p1", () -> {\n'
        '    shared.add("from process");\n'
        '    System.out.println("child sees: " + shared);\n'
        "});\n"
        "p.start();\n"
        "p.join();\n"
        'System.out.println("parent after process: " + shared);\n'
        'System.out.println("exit code " + p.exitCode());',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert "child sees: [start, from thread, from process]" in res.stdout, \
        f"the child did not print its own modified copy:\n{res}"
    assert "parent after process: [start, from thread]" in res.stdout, \
        f"the process changed the parent's list:\n{res}"
    assert "exit code 0" in res.stdout, res
    # the child's print came before join() returned, so it is in the cell before the parent's
    out = res.stdout
    assert out.index("child sees:") < out.index("parent after process:"), res
    assert kernel.execute("shared").assert_ok().text == "[start, from thread]"


def test_child_output_keeps_order_and_stream(kernel):
    res = kernel.execute(
        'var talker = Workers.process("talker", () -> {\n'
        '    for (int i = 0; i < 2000; i++) System.out.println("line " + i);\n'
        '    System.err.println("to stderr");\n'
        "});\n"
        "talker.start();\n"
        "talker.join();\n"
        'System.out.println("joined");', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert numbers(r"line (\d+)", res.stdout) == list(range(2000)), \
        "a child's 2000 lines must all arrive, in order, before join() returns"
    assert res.stdout.rstrip().endswith("joined"), res.stdout[-300:]
    assert "to stderr" in res.stderr and "to stderr" not in res.stdout, res


# ------------------------------------------------------------------ pids

def test_thread_pid_is_the_kernel_process_pid_is_the_child(kernel):
    res = kernel.execute(
        'var tw = Workers.thread("tp", () -> {});\n'
        "tw.start();\n"
        "tw.join();\n"
        'var pw = Workers.process("pp", () -> System.out.println("child says pid " + ProcessHandle.current().pid()));\n'
        "pw.start();\n"
        "pw.join();\n"
        'System.out.println("thread worker pid " + tw.pid());\n'
        'System.out.println("kernel pid " + ProcessHandle.current().pid());\n'
        'System.out.println("process worker pid " + pw.pid());',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    out = res.stdout
    thread_pid = numbers(r"thread worker pid (-?\d+)", out)
    kernel_pid = numbers(r"kernel pid (-?\d+)", out)
    proc_pid = numbers(r"process worker pid (-?\d+)", out)
    child_pid = numbers(r"child says pid (-?\d+)", out)
    assert thread_pid and kernel_pid and proc_pid and child_pid, res
    assert kernel_pid[0] == kernel.pid, f"the cell runs in pid {kernel_pid[0]}, the kernel process is {kernel.pid}"
    assert thread_pid[0] == kernel.pid, res
    assert proc_pid[0] != kernel.pid, res
    assert proc_pid[0] == child_pid[0], f"pid() says {proc_pid[0]} but the child printed {child_pid[0]}"


def test_process_pid_is_a_child_jvm_of_the_kernel(kernel):
    res = kernel.execute(
        "var gate = new SharedQueue<String>();\n"
        'var held = Workers.process("held", () -> gate.get());\n'
        "held.start();\n"
        "held.pid()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = int(res.text)
    st = proc_state(pid)
    assert st is not None and is_child_jvm(pid), f"pid {pid} is not a running ChildMain JVM"
    assert st[1] == kernel.pid, f"child {pid} has parent {st[1]}, not the kernel {kernel.pid}"
    res = kernel.execute('gate.put("done");\nheld.result()', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"done"', res
    assert not wait_until_gone([pid], timeout=5), f"child {pid} still runs after its task ended"


# ------------------------------------------------------------------ many processes

def test_25_processes_each_with_its_argument(kernel):
    res = kernel.execute(
        "List<Worker<Integer>> squares = new ArrayList<>();\n"
        "for (int i = 0; i < 25; i++) {\n"
        "    int n = i;\n"
        '    var w = Workers.process("sq-" + n, () -> {\n'
        '        System.out.println("worker " + n + " in pid " + ProcessHandle.current().pid());\n'
        "        return n * n;\n"
        "    });\n"
        "    w.start();\n"
        "    squares.add(w);\n"
        "}\n"
        "List<Integer> got = new ArrayList<>();\n"
        "for (var w : squares) got.add(w.result());\n"
        "got", timeout=MANY_PROCESSES_TIMEOUT).assert_ok()
    assert res.text == str([n * n for n in range(25)]), \
        f"results in start order expected:\n{res}"
    printed = numbers(r"worker (\d+) in pid", res.stdout)
    assert sorted(printed) == list(range(25)), f"each of the 25 children prints once:\n{res}"
    pids = numbers(r"in pid (\d+)", res.stdout)
    assert len(set(pids)) == 25, f"25 processes, 25 pids: {pids}"
    assert kernel.pid not in pids


def test_25_processes_joined_in_the_loop_run_in_order(kernel):
    res = kernel.execute(
        "for (int i = 0; i < 25; i++) {\n"
        "    int n = i;\n"
        '    var w = Workers.process("seq-" + n, () -> System.out.println("step " + n));\n'
        "    w.start();\n"
        "    w.join();\n"
        "}", timeout=MANY_PROCESSES_TIMEOUT).assert_ok()
    assert numbers(r"step (\d+)", res.stdout) == list(range(25)), \
        f"join() inside the loop must give sequential output:\n{res}"


# ------------------------------------------------------------------ results and failures

def test_task_result_from_a_process_and_a_thread(kernel):
    res = kernel.execute('var r = Workers.process("r", () -> 6 * 7);\nr.start();\nr.result()',
                         timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "42", res
    res = kernel.execute("r.exitCode() + \" \" + r.isAlive() + \" \" + r.exception().isPresent()").assert_ok()
    assert res.text == '"0 false false"', res
    res = kernel.execute('var rt = Workers.thread("rt", () -> 6 * 7);\nrt.start();\nrt.result()').assert_ok()
    assert res.text == "42", res
    res = kernel.execute("r.start();")
    assert res.status == "error" and "IllegalStateException" in res.ename, f"a worker starts once:\n{res}"
    res = kernel.execute('Workers.process("unstarted", () -> 1).join();')
    assert res.status == "error" and "IllegalStateException" in res.ename, res
    assert "start()" in res.evalue, res


def test_a_result_that_cannot_be_sent_back(kernel):
    res = kernel.execute('var unsendable = Workers.process("unsendable", () -> new Thread());\n'
                         "unsendable.start();\n"
                         "unsendable.result()", timeout=PROCESS_CELL_TIMEOUT)
    assert res.status == "error" and "WorkerFailedException" in res.ename, res
    assert "java.lang.Thread" in res.all_text() and "NotSerializable" in res.all_text(), \
        f"the error does not say the result (a Thread) cannot be sent back:\n{res}"
    kernel.assert_usable()


def test_result_of_a_cell_defined_type_comes_back(kernel):
    kernel.execute("record Point(int x, int y) implements java.io.Serializable {}").assert_ok()
    res = kernel.execute(
        'var pt = Workers.process("pt", () -> new Point(3, 4));\n'
        "pt.start();\n"
        "Point back = pt.result();\n"
        "back.x() * back.y()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "12", res


def test_exception_in_a_child_propagates_with_its_stack_trace(kernel):
    res = kernel.execute(
        'var bad = Workers.process("bad", () -> {\n'
        "    int x = 42;\n"
        '    if (x > 0) throw new IllegalArgumentException("bad input " + x);\n'
        "    return x;\n"
        "});\n"
        "bad.start();\n"
        "bad.result()", timeout=PROCESS_CELL_TIMEOUT)
    assert res.status == "error", res
    cell = res.execution_count
    assert "WorkerFailedException" in res.ename, f"result() must throw WorkerFailedException:\n{res}"
    tb = res.traceback
    assert "IllegalArgumentException" in tb and "bad input 42" in tb, \
        f"the traceback does not show the child's exception:\n{tb}"
    assert f"cell [{cell}], line 3" in tb, \
        f"the child's stack trace does not point at cell [{cell}], line 3 (the throw):\n{tb}"

    res = kernel.execute(
        'System.out.println("exit code " + bad.exitCode());\n'
        'System.out.println("cause " + bad.exception().map(e -> e.getClass().getName()).orElse("none"));\n'
        "try { bad.result(); } catch (WorkerFailedException e) {\n"
        '    System.out.println("wfe cause " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());\n'
        "}").assert_ok()
    assert "exit code 1" in res.stdout, res
    assert "cause java.lang.IllegalArgumentException" in res.stdout, res
    assert "wfe cause java.lang.IllegalArgumentException: bad input 42" in res.stdout, res


def test_exit_code_of_a_failed_task_is_always_1(kernel):
    # ten times, so that a race between the child's result and its exit shows up
    res = kernel.execute(
        "List<Integer> failCodes = new ArrayList<>();\n"
        "for (int i = 0; i < 10; i++) {\n"
        '    var f = Workers.process("fail-" + i, () -> { if (true) throw new IllegalStateException("no"); return 0; });\n'
        "    f.start();\n"
        "    f.join();\n"
        "    failCodes.add(f.exitCode());\n"
        "}\n"
        "failCodes", timeout=MANY_PROCESSES_TIMEOUT).assert_ok()
    assert res.text == str([1] * 10), f"a child whose task threw must exit with code 1 every time:\n{res}"


def test_exception_in_a_thread_worker_propagates(kernel):
    res = kernel.execute(
        'var tbad = Workers.thread("tbad", () -> { if (true) throw new IllegalStateException("thread broke"); return 1; });\n'
        "tbad.start();\n"
        "tbad.join();\n"
        'System.out.println("exit code " + tbad.exitCode());\n'
        "try { tbad.result(); } catch (WorkerFailedException e) {\n"
        '    System.out.println("cause " + e.getCause());\n'
        "}").assert_ok()
    assert "exit code 1" in res.stdout, res
    assert "cause java.lang.IllegalStateException: thread broke" in res.stdout, res


def test_system_exit_code_of_a_child(kernel):
    res = kernel.execute(
        'var ex3 = Workers.process("ex3", () -> { System.out.println("last words"); System.exit(3); });\n'
        "ex3.start();\n"
        "ex3.join();\n"
        "ex3.exitCode()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "3", res
    assert "last words" in res.stdout, f"what a child printed before System.exit is not lost: {res}"
    res = kernel.execute("ex3.result()")
    assert res.status == "error" and "WorkerFailedException" in res.ename, res
    assert "exit code 3" in res.all_text(), res
    kernel.assert_usable()


def test_halting_child_reports_its_exit_code(kernel):
    res = kernel.execute(
        'var crash = Workers.process("crash", () -> Runtime.getRuntime().halt(7));\n'
        "crash.start();\n"
        "crash.join();\n"
        "crash.exitCode()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "7", res
    res = kernel.execute("crash.result()")
    assert res.status == "error" and "WorkerFailedException" in res.ename, res
    assert "exit code 7" in res.all_text(), res
    kernel.assert_usable()


def test_child_killed_by_sigkill(kernel, child_jvm_reaper):
    res = kernel.execute(
        'var victim = Workers.process("victim", () -> { new CountDownLatch(1).await(); return 0; });\n'
        "victim.start();\n"
        "victim.pid()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = int(res.text)
    child_jvm_reaper.add(pid)
    st = proc_state(pid)
    assert st is not None and is_child_jvm(pid) and st[1] == kernel.pid, \
        f"victim pid {pid} is not a running child JVM of the kernel ({st})"
    os.kill(pid, signal.SIGKILL)
    res = kernel.execute(
        "boolean ended = victim.join(Duration.ofSeconds(20));\n"
        'System.out.println("ended " + ended + " exit " + victim.exitCode() + " alive " + victim.isAlive());',
        timeout=40).assert_ok()
    assert "ended true exit 137 alive false" in res.stdout, res
    res = kernel.execute("victim.result()")
    assert res.status == "error" and "WorkerFailedException" in res.ename, res
    assert "SIGKILL" in res.all_text(), f"result() does not say the child was killed by SIGKILL:\n{res}"
    kernel.assert_usable()


def test_out_of_memory_in_a_child(kernel):
    res = kernel.execute(
        'var oom = Workers.process("oom", () -> {\n'
        '    System.out.println("max heap MB " + Runtime.getRuntime().maxMemory() / (1024 * 1024));\n'
        "    List<long[]> hog = new ArrayList<>();\n"
        "    for (int i = 0; i < 100_000; i++) hog.add(new long[1_000_000]);\n"
        '    System.out.println("allocated " + hog.size());\n'
        '}, "-Xmx32m");\n'
        "oom.start();\n"
        "oom.join();\n"
        'System.out.println("exit code " + oom.exitCode());\n'
        'System.out.println("exception " + oom.exception().map(Object::toString).orElse("none"));',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    heap = numbers(r"max heap MB (\d+)", res.stdout)
    assert heap and heap[0] <= 32, f"-Xmx32m did not reach the child:\n{res}"
    assert "allocated" not in res.stdout, res
    code = numbers(r"exit code (-?\d+)", res.stdout)
    assert code and code[0] != 0, f"a child that ran out of memory reports success:\n{res}"
    assert re.search(r"exception .*OutOfMemoryError", res.stdout), res
    res = kernel.execute("oom.result()")
    assert res.status == "error", res
    assert "OutOfMemoryError" in res.all_text(), res
    kernel.assert_usable()


# ------------------------------------------------------------------ values that cannot be copied

def test_task_using_a_non_serializable_variable_fails_at_start(kernel):
    kernel.execute("Thread th = new Thread(() -> {});").assert_ok()
    kernel.execute('var usesTh = Workers.process("uses-th", () -> System.out.println(th.getName()));').assert_ok()
    res = kernel.execute("usesTh.start();", timeout=PROCESS_CELL_TIMEOUT)
    assert res.status == "error", f"start() must fail for a task reading a Thread variable:\n{res}"
    message = res.evalue + "\n" + res.traceback
    assert re.search(r"\bth\b", message), f"the error does not name the variable th:\n{res}"
    assert "Serializable" in message or "cannot be copied" in message, res
    # a task that does not read it still runs in the same notebook
    res = kernel.execute('var fine = Workers.process("fine", () -> 1 + 1);\nfine.start();\nfine.result()',
                         timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "2", res


# ------------------------------------------------------------------ settings

def test_jvm_options_reach_new_children(kernel):
    res = kernel.execute(
        'Workers.jvmOptions("-Xmx64m");\n'
        'var small = Workers.process("small", () -> Runtime.getRuntime().maxMemory() / (1024 * 1024));\n'
        "small.start();\n"
        "small.result()", timeout=PROCESS_CELL_TIMEOUT)
    kernel.execute("Workers.jvmOptions();")
    res.assert_ok()
    assert 0 < int(res.text) <= 64, f"-Xmx64m did not reach the child:\n{res}"
    res = kernel.execute(
        'var big = Workers.process("big", () -> Runtime.getRuntime().maxMemory() / (1024 * 1024));\n'
        "big.start();\n"
        "big.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert int(res.text) > 64, f"jvmOptions() did not clear the options (max heap {res.text} MB)"


def test_jvm_options_apply_even_to_a_spare_started_just_before(kernel):
    # each warm.start() starts a spare child JVM in the background; options set right after
    # must still apply to the next process (a spare with the old options may not be used).
    # Ten rounds, because whether the spare is mid-start at that moment is a matter of timing.
    res = kernel.execute(
        "List<Long> heaps = new ArrayList<>();\n"
        "try {\n"
        "    for (int i = 0; i < 10; i++) {\n"
        "        Workers.jvmOptions();\n"
        '        var warm = Workers.process("warm-" + i, () -> 1);\n'
        "        warm.start();\n"
        '        Workers.jvmOptions("-Xmx64m");\n'
        '        var after = Workers.process("after-" + i, () -> Runtime.getRuntime().maxMemory() / (1024 * 1024));\n'
        "        after.start();\n"
        "        heaps.add(after.result());\n"
        "        warm.join();\n"
        "    }\n"
        "} finally {\n"
        "    Workers.jvmOptions();\n"
        "}\n"
        "heaps", timeout=MANY_PROCESSES_TIMEOUT).assert_ok()
    heaps = numbers(r"(\d+)", res.text)
    assert len(heaps) == 10 and all(0 < h <= 64 for h in heaps), \
        f"max heap (MB) of processes started after jvmOptions(\"-Xmx64m\"): {heaps} (a stale spare JVM?)"


def test_prefix_output_names_the_child(kernel):
    res = kernel.execute(
        "Workers.prefixOutput(true);\n"
        "try {\n"
        '    var pre = Workers.process("prefixed", () -> System.out.println("hello"));\n'
        "    pre.start();\n"
        "    pre.join();\n"
        '    System.out.println("pid was " + pre.pid());\n'
        "} finally {\n"
        "    Workers.prefixOutput(false);\n"
        "}", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = numbers(r"pid was (\d+)", res.stdout)
    assert pid, res
    assert f"[prefixed {pid[0]}] hello" in res.stdout, res


# ------------------------------------------------------------------ virtual threads

def test_virtual_threads_on_java_21_and_later(kernel, java_major):
    if java_major < 21:
        pytest.skip(f"virtual threads need Java 21; this run uses Java {java_major}")
    res = kernel.execute(
        'var v = Workers.virtual("v1", () -> Thread.currentThread().isVirtual() + " " + Thread.currentThread().getName());\n'
        "v.start();\n"
        "v.result()").assert_ok()
    assert res.text == '"true v1"', res
    res = kernel.execute(
        "List<Worker<Integer>> vs = new ArrayList<>();\n"
        "for (int i = 0; i < 1000; i++) { int n = i; vs.add(Workers.virtual(() -> { Thread.sleep(10); return n; }).start()); }\n"
        "long sum = 0;\n"
        "for (var w : vs) sum += w.result();\n"
        "sum", timeout=60).assert_ok()
    assert res.text == str(sum(range(1000))), res
    assert kernel.execute("Workers.of(WorkerKind.VIRTUAL, \"vk\", () -> 5).start().result()").assert_ok().text == "5"


def test_virtual_threads_on_java_17_give_a_clear_error(kernel, java_major):
    if java_major >= 21:
        pytest.skip(f"this run uses Java {java_major}, which has virtual threads")
    res = kernel.execute('var v = Workers.virtual("v1", () -> 1);')
    assert res.status == "error", res
    assert "UnsupportedOperationException" in res.ename, res
    assert "Java 21" in res.evalue, f"the message does not say virtual threads need Java 21:\n{res}"
    kernel.assert_usable()
