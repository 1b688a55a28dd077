"""SharedQueue between the notebook, its threads and its child JVMs: put/get across the
process boundary, timeouts, the classic job queue served by five workers (threads, then
processes) with taskDone/join, and output a child prints after its cell finished.

Every wait is bounded; nothing sleeps to synchronise."""
from __future__ import annotations

import re
import uuid

import pytest

from support.children import PROCESS_CELL_TIMEOUT, numbers, wait_until_gone

pytestmark = pytest.mark.usefixtures("stop_leftover_workers")


# ------------------------------------------------------------------ basics

def test_hello_from_process(kernel):
    res = kernel.execute(
        "var q = new SharedQueue<String>();\n"
        'Workers.process("p2", () -> q.put("Hello from process")).start();\n'
        "q.get()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"Hello from process"', res


def test_items_flow_from_the_kernel_into_a_child_and_back(kernel):
    res = kernel.execute(
        "var inbox = new SharedQueue<Integer>();\n"
        "var outbox = new SharedQueue<String>();\n"
        "for (int i = 1; i <= 5; i++) inbox.put(i);\n"
        'var summer = Workers.process("summer", () -> {\n'
        "    int sum = 0;\n"
        "    for (int i = 0; i < 5; i++) { sum += inbox.get(); inbox.taskDone(); }\n"
        '    outbox.put("sum " + sum + " left " + inbox.size() + " empty " + inbox.isEmpty());\n'
        "    return sum;\n"
        "});\n"
        "summer.start();\n"
        "inbox.join();\n"
        'System.out.println(outbox.get(Duration.ofSeconds(30)));\n'
        "summer.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "15", res
    assert "sum 15 left 0 empty true" in res.stdout, res
    assert kernel.execute("inbox.size() + \" \" + inbox.isEmpty() + \" \" + outbox.poll()").assert_ok().text \
        == '"0 true null"'


def test_queue_timeouts_in_the_kernel_and_in_a_child(kernel):
    res = kernel.execute("var empty = new SharedQueue<String>();\nempty.poll()").assert_ok()
    assert res.text == "null", res
    res = kernel.execute("empty.get(Duration.ofMillis(200))")
    assert res.status == "error", res
    assert "QueueTimeoutException" in res.ename, res
    assert "200 ms" in res.evalue, res
    res = kernel.execute(
        'var waiter = Workers.process("waiter", () -> {\n'
        '    String polled = String.valueOf(empty.poll());\n'
        "    try {\n"
        "        empty.get(Duration.ofMillis(300));\n"
        '        return polled + " / no timeout";\n'
        "    } catch (QueueTimeoutException e) {\n"
        '        return polled + " / " + e.getMessage();\n'
        "    }\n"
        "});\n"
        "waiter.start();\n"
        "waiter.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == '"null / no item arrived within 300 ms"', res


def test_a_child_blocked_on_get_is_woken_by_a_later_put(kernel):
    res = kernel.execute(
        "var later = new SharedQueue<Integer>();\n"
        'var blocked = Workers.process("blocked", () -> later.get() * 2);\n'
        "blocked.start();\n"
        'System.out.println("finished early: " + blocked.join(Duration.ofMillis(500)));',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert "finished early: false" in res.stdout, res
    res = kernel.execute("later.put(21);\nblocked.result()", timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert res.text == "42", res


# ------------------------------------------------------------------ job queue with 5 workers

def test_job_queue_served_by_five_thread_workers(kernel):
    res = kernel.execute(
        "var jobs = new SharedQueue<Integer>();\n"
        "List<String> done = Collections.synchronizedList(new ArrayList<>());\n"
        "List<Worker<?>> crew = new ArrayList<>();\n"
        "for (int w = 1; w <= 5; w++) {\n"
        "    int id = w;\n"
        '    crew.add(Workers.thread("worker-" + id, () -> {\n'
        "        while (true) {\n"
        "            int job = jobs.get();\n"
        '            done.add("job " + job + " by worker-" + id);\n'
        "            jobs.taskDone();\n"
        "        }\n"
        "    }).start());\n"
        "}\n"
        "for (int j = 0; j < 10; j++) jobs.put(j);\n"
        "jobs.join();\n"
        'System.out.println("all done: " + done.size());\n'
        "List<String> sorted = new ArrayList<>(done);\n"
        "Collections.sort(sorted);\n"
        "sorted.forEach(System.out::println);\n"
        'System.out.println("workers still waiting: " + crew.stream().filter(Worker::isAlive).count());',
        timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert "all done: 10" in res.stdout, res
    assert sorted(numbers(r"job (\d+) by worker-[1-5]", res.stdout)) == list(range(10)), \
        f"each job must be served exactly once:\n{res}"
    # daemon-like: after join() the workers are still there, waiting for more
    assert "workers still waiting: 5" in res.stdout, res
    res = kernel.execute(
        "crew.forEach(Worker::stop);\n"
        "boolean allEnded = true;\n"
        "for (var w : crew) allEnded &= w.join(Duration.ofSeconds(10));\n"
        "allEnded", timeout=30).assert_ok()
    assert res.text == "true", f"stop() did not end threads blocked in SharedQueue.get():\n{res}"


def test_job_queue_served_by_five_process_workers(kernel, child_jvm_reaper):
    res = kernel.execute(
        "var pjobs = new SharedQueue<Integer>();\n"
        "var presults = new SharedQueue<String>();\n"
        "List<Worker<?>> pcrew = new ArrayList<>();\n"
        "for (int w = 1; w <= 5; w++) {\n"
        '    pcrew.add(Workers.process("pworker-" + w, () -> {\n'
        "        while (true) {\n"
        "            int job = pjobs.get();\n"
        '            presults.put("job " + job + " squared " + job * job + " in pid " + ProcessHandle.current().pid());\n'
        "            pjobs.taskDone();\n"
        "        }\n"
        "    }).start());\n"
        "}\n"
        "for (int j = 0; j < 10; j++) pjobs.put(j);\n"
        "pjobs.join();\n"
        "List<String> report = new ArrayList<>();\n"
        "for (int j = 0; j < 10; j++) report.add(presults.get(Duration.ofSeconds(10)));\n"
        "Collections.sort(report);\n"
        "report.forEach(System.out::println);\n"
        'System.out.println("extra results: " + presults.size());\n'
        'pcrew.forEach(w -> System.out.println("worker pid " + w.pid() + " alive " + w.isAlive()));',
        timeout=90).assert_ok()
    out = res.stdout
    served = re.findall(r"job (\d+) squared (\d+) in pid (\d+)", out)
    assert sorted(int(j) for j, _, _ in served) == list(range(10)), f"each job once:\n{res}"
    assert all(int(sq) == int(j) ** 2 for j, sq, _ in served), res
    worker_pids = set(numbers(r"worker pid (\d+) alive true", out))
    assert len(worker_pids) == 5, f"the five process workers should all still be waiting:\n{res}"
    child_jvm_reaper.update(worker_pids)
    assert kernel.pid not in worker_pids
    assert {int(p) for _, _, p in served} <= worker_pids, f"jobs served by a pid that is not a worker:\n{res}"
    assert "extra results: 0" in out, res

    res = kernel.execute(
        "pcrew.forEach(Worker::stop);\n"
        "for (var w : pcrew) System.out.println(w.name() + \" ended \" + w.join(Duration.ofSeconds(10))"
        " + \" exit \" + w.exitCode());", timeout=40).assert_ok()
    assert res.stdout.count(" ended true ") == 5, f"stop() did not end the process workers:\n{res}"
    assert not wait_until_gone(worker_pids, timeout=5), "stopped process workers still run"


# ------------------------------------------------------------------ late output

@pytest.mark.parametrize("joined_in_second_cell", [False, True], ids=["idle", "while-next-cell-runs"])
def test_child_output_after_its_cell_finished_goes_to_that_cell(kernel, joined_in_second_cell):
    word = uuid.uuid4().hex[:10]
    cell1 = kernel.execute(
        "var gate = new SharedQueue<String>();\n"
        'var late = Workers.process("late", () -> {\n'
        "    String got = gate.get();\n"
        '    System.out.println("late print " + got);\n'
        "});\n"
        "late.start();\n"
        'System.out.println("started " + late.pid());', timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    assert "started" in cell1.stdout and "late print" not in cell1.stdout, cell1
    start = len(kernel.mailbox.iopub)
    code = f'gate.put("{word}");'
    if joined_in_second_cell:
        code += '\nSystem.out.println("joined " + late.join(Duration.ofSeconds(30)));'
    cell2 = kernel.execute(code, timeout=PROCESS_CELL_TIMEOUT).assert_ok()
    msg = kernel.mailbox.wait_iopub(
        lambda m: m["msg_type"] == "stream" and f"late print {word}" in m["content"]["text"],
        timeout=30, what="the child's late print", start=start)
    parent = msg["parent_header"].get("msg_id")
    assert parent == cell1.msg_id, (
        f"the child's output went to {parent}, not to the cell that started it ({cell1.msg_id}); "
        f"the second cell was {cell2.msg_id}")
    assert msg["content"]["name"] == "stdout"
    assert f"late print {word}" not in cell2.stdout, cell2
    if joined_in_second_cell:
        assert "joined true" in cell2.stdout, cell2
    res = kernel.execute("late.join(Duration.ofSeconds(30)) + \" \" + late.exitCode()", timeout=40).assert_ok()
    assert res.text == '"true 0"', res
