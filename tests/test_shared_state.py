"""Shared state between the notebook and its child JVMs: SharedValue and SharedArray (memory-
mapped, atomic), ProcessLock around a non-atomic update, Pipe both ways, SharedEvent and
SharedMap (the Manager-dict twin), and the private shared-memory directory.

Every wait is bounded; nothing sleeps to synchronise."""
from __future__ import annotations

import os
import stat

import pytest

from support.children import PROCESS_CELL_TIMEOUT

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")


def test_shared_value_and_array_are_atomic_across_processes(kernel):
    res = kernel.execute(
        "var hits = new SharedValue(0);\n"
        "var perWorker = SharedArray.ofLength(4);\n"
        "var ws = new ArrayList<Worker<Void>>();\n"
        "for (int i = 0; i < 4; i++) { int k = i; ws.add(Workers.process(() -> {\n"
        "    for (int j = 0; j < 2500; j++) { hits.incrementAndGet(); perWorker.addAndGet(k, 1); }\n"
        "})); }\n"
        "for (var w : ws) w.start();\n"
        "for (var w : ws) w.join();\n"
        'hits.get() + " " + Arrays.toString(perWorker.toArray())', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"10000 [2500, 2500, 2500, 2500]"', res


def test_process_lock_makes_a_read_modify_write_exact(kernel):
    # get() then set() is not atomic: only the lock keeps four processes from losing updates.
    res = kernel.execute(
        "var total = new SharedValue(0);\n"
        "var lock = new ProcessLock();\n"
        "var ws = new ArrayList<Worker<Void>>();\n"
        "for (int i = 0; i < 4; i++) ws.add(Workers.process(() -> {\n"
        "    for (int j = 0; j < 500; j++) { try (var held = lock.acquire()) { total.set(total.get() + 1); } }\n"
        "}));\n"
        "for (var w : ws) w.start();\n"
        "for (var w : ws) w.join();\n"
        "total.get()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "2000", res


def test_pipe_carries_values_both_ways(kernel):
    res = kernel.execute(
        "var pipe = Pipe.open();\n"
        "var childEnd = pipe.right();\n"
        'var echo = Workers.process(() -> { String s = childEnd.receive(); childEnd.send(s.toUpperCase() + " from " + ProcessHandle.current().pid()); });\n'
        "echo.start();\n"
        'pipe.left().send("hello");\n'
        "String answer = pipe.left().receive(java.time.Duration.ofSeconds(60));\n"
        "echo.join();\n"
        'answer.equals("HELLO from " + echo.pid())', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "true", res


def test_event_set_in_the_kernel_releases_a_waiting_child(kernel):
    res = kernel.execute(
        "var go = new SharedEvent();\n"
        "var waiter = Workers.process(() -> go.await(java.time.Duration.ofSeconds(60)));\n"
        "waiter.start();\n"
        "go.set();\n"
        'waiter.result() + " " + go.isSet()', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"true true"', res


def test_shared_map_collects_results_from_processes(kernel):
    res = kernel.execute(
        "var squares = new SharedMap<Integer, Long>();\n"
        "var ws = new ArrayList<Worker<Void>>();\n"
        "for (int i = 0; i < 4; i++) { int k = i; ws.add(Workers.process(() -> { squares.put(k, (long) k * k); squares.addAndGet(-1, 1); })); }\n"
        "for (var w : ws) w.start();\n"
        "for (var w : ws) w.join();\n"
        "new TreeMap<>(squares.snapshot())", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "{-1=4, 0=0, 1=1, 2=4, 3=9}", res


def test_shared_memory_lives_in_a_private_directory_removed_at_shutdown(start_kernel):
    k = start_kernel()
    res = k.execute(
        "var a = SharedArray.ofLength(1);\n"
        "var f = SharedArray.class.getDeclaredField(\"path\");\n"
        "f.setAccessible(true);\n"
        "java.nio.file.Path.of((String) f.get(a)).getParent().toString()").assert_ok()
    shm = res.text.strip('"')
    assert shm != "none" and os.path.isdir(shm), res
    assert stat.S_IMODE(os.stat(shm).st_mode) == 0o700, oct(os.stat(shm).st_mode)
    k.stop()
    assert not os.path.exists(shm), f"{shm} survived the kernel's shutdown"
