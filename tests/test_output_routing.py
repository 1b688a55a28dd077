"""Where output goes: background threads print into the cell that started them,
streams keep print order, floods are capped, kernel logs stay out of cells."""
from __future__ import annotations

import re
import uuid

import pytest

from support.messages import collect


def _stream_with(text: str):
    return lambda m: m["msg_type"] == "stream" and text in m["content"]["text"]


def test_thread_output_goes_to_its_cell_when_idle(kernel):
    tag = uuid.uuid4().hex[:8]
    cell1 = kernel.execute(
        "var gate = new java.util.concurrent.CountDownLatch(1);\n"
        "new Thread(() -> {\n"
        "    try { gate.await(); } catch (InterruptedException e) { return; }\n"
        f'    System.out.println("from-thread {tag}");\n'
        "}).start();").assert_ok()
    assert f"from-thread {tag}" not in cell1.stdout
    start = len(kernel.mailbox.iopub)
    cell2 = kernel.execute("gate.countDown();").assert_ok()
    msg = kernel.mailbox.wait_iopub(_stream_with(f"from-thread {tag}"), timeout=10,
                                    what="the thread's output", start=start)
    assert msg["parent_header"].get("msg_id") == cell1.msg_id, (
        f"thread output routed to {msg['parent_header'].get('msg_id')}, "
        f"not cell 1 ({cell1.msg_id}); cell 2 is {cell2.msg_id}")
    assert msg["content"]["name"] == "stdout"


def test_thread_output_goes_to_its_cell_while_another_runs(kernel):
    tag = uuid.uuid4().hex[:8]
    cell1 = kernel.execute(
        "var gate2 = new java.util.concurrent.CountDownLatch(1);\n"
        "var printed2 = new java.util.concurrent.CountDownLatch(1);\n"
        "new Thread(() -> {\n"
        "    try { gate2.await(); } catch (InterruptedException e) { return; }\n"
        f'    System.out.println("busy-thread {tag}");\n'
        "    printed2.countDown();\n"
        "}).start();").assert_ok()
    start = len(kernel.mailbox.iopub)
    # cell 2 is still running when the thread prints: it waits until the print is done
    cell2 = kernel.execute('gate2.countDown();\nprinted2.await();\nSystem.out.println("cell2 done");',
                           timeout=30).assert_ok()
    assert f"busy-thread {tag}" not in cell2.stdout, f"thread output landed in cell 2:\n{cell2}"
    assert "cell2 done" in cell2.stdout
    msg = kernel.mailbox.wait_iopub(_stream_with(f"busy-thread {tag}"), timeout=10,
                                    what="the thread's output", start=start)
    assert msg["parent_header"].get("msg_id") == cell1.msg_id, (
        f"thread output routed to {msg['parent_header'].get('msg_id')}, not cell 1 ({cell1.msg_id})")


def test_executor_output_goes_to_submitting_cell(kernel):
    tag = uuid.uuid4().hex[:8]
    cell1 = kernel.execute(
        "var pool = java.util.concurrent.Executors.newFixedThreadPool(2);\n"
        "var go = new java.util.concurrent.CountDownLatch(1);\n"
        "pool.submit(() -> { try { go.await(); } catch (InterruptedException e) { return; }\n"
        f'    System.out.println("pool-task {tag}"); }});').assert_ok()
    start = len(kernel.mailbox.iopub)
    cell2 = kernel.execute("go.countDown();\npool.shutdown();\n"
                           "pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)").assert_ok()
    msg = kernel.mailbox.wait_iopub(_stream_with(f"pool-task {tag}"), timeout=10,
                                    what="the pool task's output", start=start)
    assert msg["parent_header"].get("msg_id") == cell1.msg_id, (
        f"pool output routed to {msg['parent_header'].get('msg_id')}, not cell 1 ({cell1.msg_id}); "
        f"cell 2 is {cell2.msg_id}")


def test_stream_messages_keep_print_order(kernel):
    res = kernel.execute(
        "for (int i = 0; i < 3000; i++) {\n"
        "    if (i % 7 == 0) System.out.print(\"p\" + i + \" \");\n"
        "    else System.out.println(\"line \" + i);\n"
        "}").assert_ok()
    expected = "".join(f"p{i} " if i % 7 == 0 else f"line {i}\n" for i in range(3000))
    assert res.stdout == expected, "stdout differs from what was printed, in content or order"


def test_stdout_and_stderr_each_in_order(kernel):
    res = kernel.execute(
        "for (int i = 0; i < 500; i++) {\n"
        "    System.out.println(\"out \" + i);\n"
        "    System.err.println(\"err \" + i);\n"
        "}").assert_ok()
    assert res.stdout == "".join(f"out {i}\n" for i in range(500))
    assert res.stderr == "".join(f"err {i}\n" for i in range(500))


@pytest.mark.slow
def test_output_flood_is_capped(kernel):
    res = kernel.execute('for (int i = 0; i < 200_000; i++) System.out.println("flood line " + i);',
                         timeout=60)
    assert res.status == "ok", res
    streams = res.of_type("stream")
    text = "".join(c["text"] for c in streams)
    lines = text.count("\n")
    print(f"flood: {len(streams)} stream messages, {lines} lines, {len(text)} chars, {res.elapsed:.1f}s")
    assert lines < 100_000, f"{lines} lines reached the frontend: output is not capped"
    assert "flood line 0\n" in text, "the beginning of the output is missing"
    assert re.search(r"truncat|limit", text, re.I), "no notice that the output was truncated"
    assert len(streams) < 2000, f"{len(streams)} stream messages: output is not batched"
    kernel.assert_usable()


def test_output_cap_is_per_cell(kernel):
    kernel.execute('for (int i = 0; i < 200_000; i++) System.out.println("flood " + i);', timeout=60)
    res = kernel.execute('System.out.println("after the flood");').assert_ok()
    assert res.stdout == "after the flood\n", res


def test_kernel_logs_never_appear_in_cells(start_kernel):
    k = start_kernel()
    k.execute("int logCheck = 1;").assert_ok()
    k.execute('int broken = "s";')
    k.execute('throw new RuntimeException("x");')
    k.execute('System.out.println("hi"); display("shown");')
    k.request("complete_request", {"code": "Syst", "cursor_pos": 4})
    k.request("inspect_request", {"code": "Math.max", "cursor_pos": 8, "detail_level": 0})
    k.request("history_request", {"hist_access_type": "tail", "n": 3, "output": False, "raw": True})
    msg = k.kc.session.msg("foo_request", {})
    k.kc.shell_channel.send(msg)
    k.mailbox.reply(msg["header"]["msg_id"], timeout=10)
    # an aborted queue and an interrupt: paths the kernel logs at INFO
    ids = [k.kc.execute('throw new RuntimeException("stop");'), k.kc.execute("int queued = 1;")]
    for i in ids:
        collect(k.kc, i)
    running = k.kc.execute('{\n  System.out.println("started");\n  Thread.sleep(60_000);\n}')
    k.mailbox.wait_iopub(lambda m: m["parent_header"].get("msg_id") == running
                         and m["msg_type"] == "stream" and "started" in m["content"]["text"],
                         timeout=30, what="the sleeping cell to start")
    k.km.interrupt_kernel()
    collect(k.kc, running, timeout=10)
    k.assert_usable()
    k.mailbox.drain()
    texts = [m["content"]["text"] for m in k.mailbox.iopub if m["msg_type"] == "stream"]
    log_like = re.compile(
        r"^\s*(\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\[?(INFO|DEBUG|TRACE|WARN|WARNING|SEVERE|FINE|FINER|FINEST)\]?[\s:])"
        r"|\bdev\.spindle\.|SLF4J", re.M)
    leaked = [t for t in texts if log_like.search(t)]
    assert not leaked, f"kernel log lines reached cell output: {leaked[:5]}"
    assert k.log_text().strip(), "the kernel wrote nothing to its --log file"
