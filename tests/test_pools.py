"""Pools as a notebook user meets them: Pools.threads / Pools.processes (/ Pools.virtual on
21+) with submit, ordered map, invokeAll and close, as java.util.concurrent.ExecutorService;
a process pool's warm JVMs (the same PIDs for every task, not the kernel's); a dead pool JVM
replaced; and child CPU time that a pool's tasks add to %%time counted once.

Every wait is bounded; nothing sleeps to synchronise."""
from __future__ import annotations

import re

import pytest

from support.children import PROCESS_CELL_TIMEOUT

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")


@pytest.mark.parametrize("kind", ["threads(3)", "processes(2)"])
def test_map_keeps_the_items_order(kernel, kind):
    res = kernel.execute(
        f"List<Integer> squares;\n"
        f"try (var pool = Pools.{kind}) {{\n"
        "    squares = pool.map(n -> n * n, IntStream.rangeClosed(1, 40).boxed().toList());\n"
        "}\n"
        "squares", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "[" + ", ".join(str(n * n) for n in range(1, 41)) + "]", res


def test_process_pool_keeps_its_jvms_warm_and_apart_from_the_kernel(kernel):
    res = kernel.execute(
        "var pool = Pools.processes(2);\n"
        "var pids = new TreeSet<Long>();\n"
        "for (int round = 0; round < 5; round++) {\n"
        "    pids.addAll(pool.map(i -> ProcessHandle.current().pid(), IntStream.range(0, 50).boxed().toList()));\n"
        "}\n"
        'System.out.println("kernel " + ProcessHandle.current().pid() + " pool " + pids);\n'
        "pool.close();", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    m = re.search(r"kernel (\d+) pool \[([\d, ]+)\]", res.stdout)
    assert m, res
    kernel_pid = int(m.group(1))
    pids = {int(p) for p in m.group(2).split(", ")}
    assert kernel_pid not in pids, res
    assert 1 <= len(pids) <= 2, f"five maps are served by the pool's two warm JVMs: {res.stdout}"


@pytest.mark.parametrize("kind", ["threads(2)", "processes(2)"])
def test_submit_and_invoke_all_as_an_executor_service(kernel, kind):
    # Task is a serializable Callable: the same code runs on both kinds of pool.
    res = kernel.execute(
        f"ExecutorService ex = Pools.{kind};\n"
        "Future<Integer> one = ex.submit((Task<Integer>) () -> 6 * 7);\n"
        "List<Task<String>> calls = List.of(() -> \"a\", () -> \"b\", () -> \"c\");\n"
        "var all = ex.invokeAll(calls);\n"
        "var joined = new StringBuilder();\n"
        "for (var f : all) joined.append(f.get());\n"
        "Job noop = () -> { };\n"
        'joined.append(ex.submit(noop, "d").get()).append(ex.invokeAny(List.<Task<String>>of(() -> "e")));\n'
        "ex.shutdown();\n"
        'one.get() + " " + joined + " " + ex.awaitTermination(30, TimeUnit.SECONDS) + " " + ex.isShutdown()',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"42 abcde true true"', res


def test_a_plain_callable_on_a_process_pool_is_a_clear_error(kernel):
    res = kernel.execute(
        "ExecutorService plain = Pools.processes(1);\n"
        "try { plain.submit(() -> 1); } finally { plain.shutdown(); }", timeout=PROCESS_CELL_TIMEOUT).assert_error()
    assert "serializable tasks only" in res.evalue and "(Task<Integer>)" in res.evalue, res


def test_a_dead_pool_jvm_is_reported_and_replaced(kernel):
    res = kernel.execute(
        "var pool = Pools.processes(1);\n"
        "long before = pool.submit(() -> ProcessHandle.current().pid()).get();\n"
        "String failure;\n"
        "try {\n"
        "    pool.submit(() -> { Runtime.getRuntime().halt(3); return 0; }).get();\n"
        '    failure = "no failure";\n'
        "} catch (ExecutionException e) {\n"
        "    failure = e.getCause().toString();\n"
        "}\n"
        "long after = pool.submit(() -> ProcessHandle.current().pid()).get();\n"
        "pool.close();\n"
        'System.out.println("failure: " + failure);\n'
        'before != after ? "replaced" : "same JVM"', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"replaced"', res
    assert "exit code 3" in res.stdout, res


def test_a_pool_task_that_throws_keeps_the_child_stack_trace(kernel):
    # An exception that cannot be serialized comes back as a RemoteTaskException carrying the
    # child's stack trace as text, as it does for a process worker.
    kernel.execute(
        "class Unsendable extends RuntimeException {\n"
        "    final Object notSerializable = new Object();\n"
        "    Unsendable(String m) { super(m); }\n"
        "}").assert_ok()
    res = kernel.execute(
        "String seen;\n"
        "try (var pool = Pools.processes(1)) {\n"
        '    pool.submit((Task<Integer>) () -> { throw new Unsendable("deep"); }).get();\n'
        '    seen = "no failure";\n'
        "} catch (ExecutionException e) {\n"
        "    Throwable c = e.getCause();\n"
        '    seen = c.getClass().getSimpleName() + " | " + c.getMessage() + " | "\n'
        "        + Arrays.stream(c.getStackTrace()).map(String::valueOf).collect(Collectors.joining(\" / \"));\n"
        "}\n"
        "System.out.println(seen);", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    kind, message, stack = res.stdout.strip().split(" | ", 2)
    assert kind == "RemoteTaskException" and "Unsendable: deep" in message, res
    assert "lambda$" in stack and "ChildMain" in stack, f"the child's stack trace is lost: {res.stdout}"


def test_prefix_output_names_the_pool_jvm(kernel):
    res = kernel.execute(
        "Workers.prefixOutput(true);\n"
        "try (var pool = Pools.processes(1)) {\n"
        "    long pid = pool.submit((Task<Long>) () -> {\n"
        '        System.out.println("hello from the pool");\n'
        "        return ProcessHandle.current().pid();\n"
        "    }).get();\n"
        '    System.out.println("pid was " + pid);\n'
        "} finally {\n"
        "    Workers.prefixOutput(false);\n"
        "}", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    pid = re.search(r"pid was (\d+)", res.stdout)
    assert pid, res
    assert re.search(rf"^\[process-pool-\d+-1 {pid.group(1)}\] hello from the pool$", res.stdout, re.M), res


def test_child_cpu_of_a_pool_is_counted_once_per_task(kernel):
    # Each task reports its JVM's CPU time so far; the kernel must add only the new part, or
    # %%time shows more CPU than the cores could give in the wall time.
    res = kernel.execute(
        "var pool = Pools.processes(1);\n"
        "pool.submit(() -> 0).get();\n"
        "var m = Measurement.start();\n"
        "for (int i = 0; i < 20; i++) pool.submit(() -> 0).get();\n"
        "var report = m.stop();\n"
        "pool.close();\n"
        # Over the whole interval: compiling the loop is left out of the report's wall time, but
        # a spare JVM may boot meanwhile and its CPU counts as the children's.
        "(report.totalCpu().plus(report.compile()).toNanos() / (double) report.wall().plus(report.compile()).toNanos())"
        ' + " " + Runtime.getRuntime().availableProcessors()',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    parallelism, cores = res.text.strip('"').split()
    assert float(parallelism) <= int(cores) + 0.5, f"CPU/wall {parallelism} on {cores} cores: {res}"


def test_virtual_pool_on_21_or_a_clear_message(kernel, java_major):
    res = kernel.execute(
        "List<String> names;\n"
        "try (var pool = Pools.virtual()) {\n"
        "    names = pool.map(i -> String.valueOf(Thread.currentThread().isVirtual()), List.of(1, 2, 3));\n"
        "}\n"
        "names" if java_major >= 21 else "Pools.virtual()", timeout=PROCESS_CELL_TIMEOUT)
    if java_major >= 21:
        assert res.assert_ok().text == "[true, true, true]", res
    else:
        res.assert_error()
        assert "21" in res.evalue, res
