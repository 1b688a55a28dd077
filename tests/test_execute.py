"""execute_request: counts, results, flags, errors, stdin, redefinition, imports, display."""
from __future__ import annotations

import re
import uuid

import pytest

from support.messages import collect, png_bytes


def _mentions_line(text: str, n: int) -> bool:
    """True if text cites cell line n, as ':3', '#12:3', 'line 3' or '3 |'."""
    return bool(re.search(rf"(?:[:#]\s*|\bline\s*){n}\b|^\s*{n}\s*[|:]", text, re.I | re.M))


def _frames(traceback: str) -> list[str]:
    return [ln.strip() for ln in traceback.splitlines() if re.match(r"\s*at\s", ln)]


# ------------------------------------------------------------------ basics

def test_execution_count_increments(kernel):
    first = kernel.execute("int countA = 1;").assert_ok()
    second = kernel.execute("int countB = 2;").assert_ok()
    assert isinstance(first.execution_count, int) and first.execution_count >= 1
    assert second.execution_count == first.execution_count + 1


def test_execute_input_is_published(kernel):
    code = "int publishedInput = 3;"
    res = kernel.execute(code).assert_ok()
    assert res.execute_input is not None, res
    assert res.execute_input["code"] == code
    assert res.execute_input["execution_count"] == res.execution_count


def test_status_busy_then_idle(kernel):
    res = kernel.execute("int statusCheck = 1;").assert_ok()
    states = [c["execution_state"] for c in res.of_type("status")]
    assert states[0] == "busy" and states[-1] == "idle", states


def test_last_expression_gives_execute_result(kernel):
    res = kernel.execute("1 + 1").assert_ok()
    assert len(res.execute_results) == 1, res
    assert res.text == "2", res
    assert res.execute_results[0]["execution_count"] == res.execution_count


def test_expression_after_statements(kernel):
    res = kernel.execute("int q = 20;\nint r = 22;\nq + r").assert_ok()
    assert res.text == "42", res


def test_statement_output_goes_to_stdout(kernel):
    res = kernel.execute('System.out.println("hello stdout"); System.err.println("hello stderr");').assert_ok()
    assert res.stdout == "hello stdout\n", res
    assert res.stderr == "hello stderr\n", res


def test_silent_publishes_nothing_and_keeps_count(kernel):
    before = kernel.execute("1").assert_ok()
    silent = kernel.execute("int silentVar = 7; silentVar * 2", silent=True)
    assert silent.status == "ok", silent
    assert silent.execute_input is None, silent
    assert not silent.execute_results, silent
    after = kernel.execute("silentVar").assert_ok()
    assert after.text == "7", f"the silent cell did not run:\n{after}"
    assert after.execution_count == before.execution_count + 1


def test_store_history_false_keeps_count(kernel):
    before = kernel.execute("2").assert_ok()
    unstored = kernel.execute("3", store_history=False).assert_ok()
    assert unstored.text == "3", unstored
    after = kernel.execute("4").assert_ok()
    assert after.execution_count == before.execution_count + 1


def test_user_expressions(kernel):
    res = kernel.execute("int ue = 21;", user_expressions={"twice": "ue * 2", "name": '"spin" + "dle"'})
    res.assert_ok()
    exprs = res.content.get("user_expressions", {})
    assert exprs.get("twice", {}).get("status") == "ok", exprs
    assert exprs["twice"]["data"]["text/plain"] == "42", exprs
    assert "spindle" in exprs.get("name", {}).get("data", {}).get("text/plain", ""), exprs


def test_user_expression_error_is_reported(kernel):
    res = kernel.execute("int ue2 = 1;", user_expressions={"bad": "noSuchVariable + 1"}).assert_ok()
    bad = res.content.get("user_expressions", {}).get("bad", {})
    assert bad.get("status") == "error", bad


# ------------------------------------------------------------------ stop_on_error

def _send_three(kernel, first: str, second: str, third: str, stop_on_error: bool):
    kc = kernel.kc
    ids = [kc.execute(first, stop_on_error=stop_on_error),
           kc.execute(second), kc.execute(third)]
    return [collect(kc, i, timeout=30) for i in ids]


def test_stop_on_error_aborts_queued_cells(kernel):
    r1, r2, r3 = _send_three(kernel, 'throw new RuntimeException("first fails");',
                             "int abortedTwo = 2;", "int abortedThree = 3;", stop_on_error=True)
    assert r1.status == "error", r1
    assert r2.status == "aborted", r2
    assert r3.status == "aborted", r3
    for name in ("abortedTwo", "abortedThree"):
        check = kernel.execute(name)
        assert check.status == "error", f"{name} was defined, so an aborted cell ran:\n{check}"
    kernel.assert_usable()


def test_stop_on_error_false_runs_queued_cells(kernel):
    r1, r2, r3 = _send_three(kernel, 'throw new RuntimeException("first fails");',
                             "int continuedTwo = 2;", "int continuedThree = 3;", stop_on_error=False)
    assert r1.status == "error", r1
    assert r2.status == "ok", r2
    assert r3.status == "ok", r3
    assert kernel.execute("continuedTwo + continuedThree").assert_ok().text == "5"


# ------------------------------------------------------------------ errors

def test_compile_error(kernel):
    res = kernel.execute('int okLine1 = 1;\nint okLine2 = 2;\nint x = "s";')
    assert res.status == "error", res
    assert res.errors, f"no iopub error message:\n{res}"
    tb = res.iopub_traceback
    assert re.search(r"incompatible types", tb, re.I), tb
    lines = tb.splitlines()
    code_idx = [i for i, ln in enumerate(lines) if 'int x = "s";' in ln]
    assert code_idx, f"the offending line is not shown:\n{tb}"
    caret_lines = [ln for ln in lines[code_idx[-1] + 1:code_idx[-1] + 3] if "^" in ln]
    assert caret_lines, f"no caret under the offending line:\n{tb}"
    code_line = lines[code_idx[-1]]
    caret_col = caret_lines[0].index("^")
    assert code_line.index("int x") <= caret_col < len(code_line), f"caret outside the code:\n{tb}"
    assert _mentions_line(tb, 3), f"the traceback does not cite line 3:\n{tb}"


def test_compile_error_reply_fields(kernel):
    res = kernel.execute('int y = "s";')
    assert res.status == "error", res
    assert res.content.get("ename") and isinstance(res.content.get("traceback"), list), res.content
    assert res.errors and res.errors[0]["ename"] == res.content["ename"], res


def test_runtime_exception(kernel):
    res = kernel.execute('int before = 1;\nif (before == 1) throw new IllegalStateException("boom");')
    assert res.status == "error", res
    assert res.errors, f"no iopub error message:\n{res}"
    assert "IllegalStateException" in res.ename, res
    assert "boom" in res.evalue, res
    frames = _frames(res.traceback)
    assert frames, f"no 'at' frames:\n{res.traceback}"
    assert any(_mentions_line(f, 2) for f in frames), f"no frame cites cell line 2:\n{res.traceback}"


def _assert_frames_in_cell(res, method: str):
    assert res.status == "error", res
    assert "ArithmeticException" in res.ename, res
    assert "by zero" in res.evalue, res
    frames = _frames(res.traceback)
    assert any(method in f and _mentions_line(f, 2) for f in frames), \
        f"no frame for {method} at cell line 2:\n{res.traceback}"
    assert any(_mentions_line(f, 3) for f in frames), f"no frame for the call at cell line 3:\n{res.traceback}"
    noise = [f for f in frames if re.search(r"jdk\.jshell|dev\.spindle|java\.lang\.reflect", f)]
    assert not noise, f"kernel-internal frames in the traceback:\n{res.traceback}"


def _ratio_cell() -> tuple[str, str]:
    tag = uuid.uuid4().hex[:6]
    method = f"ratio_{tag}"
    return method, (f"int {method}(int a, int b) {{\n"
                    "    return a / b; }\n"
                    f"int r_{tag} = {method}(1, 0);")


def test_runtime_exception_frames_point_into_the_cell(kernel):
    method, code = _ratio_cell()
    _assert_frames_in_cell(kernel.execute(code), method)


def test_rerun_failing_cell_frames_point_into_the_cell(kernel):
    """Running the same failing cell again (as one does in a notebook) must map its
    frames to the cell just as the first time."""
    method, code = _ratio_cell()
    kernel.execute(code)
    _assert_frames_in_cell(kernel.execute(code), method)


def test_exception_with_cause_shows_cause(kernel):
    res = kernel.execute('throw new RuntimeException("outer", new java.io.IOException("inner cause"));')
    assert res.status == "error", res
    assert "inner cause" in res.traceback, res.traceback


def test_kernel_usable_after_errors(kernel):
    kernel.execute('int bad = "s";')
    kernel.execute('throw new RuntimeException("x");')
    kernel.assert_usable()


# ------------------------------------------------------------------ stdin

def test_stdin_input_request(kernel):
    res = kernel.execute("new java.util.Scanner(System.in).nextLine()", input_replies=["hello"],
                         allow_stdin=True)
    assert res.input_requests, f"no input_request on the stdin channel:\n{res}"
    assert res.status == "ok", res
    assert "hello" in (res.text or ""), res


def test_stdin_two_reads(kernel):
    code = ("var in2 = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));\n"
            "String a2 = in2.readLine();\nString b2 = in2.readLine();\na2 + \"+\" + b2")
    res = kernel.execute(code, input_replies=["one", "two"], allow_stdin=True)
    assert res.status == "ok", res
    assert len(res.input_requests) == 2, res
    assert "one+two" in (res.text or ""), res


def test_stdin_not_allowed(kernel):
    res = kernel.execute("new java.util.Scanner(System.in).nextLine()", allow_stdin=False, timeout=15)
    assert not res.input_requests, "input_request sent although allow_stdin was False"
    assert res.elapsed < 10, f"took {res.elapsed:.1f}s"
    assert res.status == "error", res
    assert re.search(r"stdin|input", res.all_text(), re.I), f"no clear message about stdin:\n{res}"
    kernel.assert_usable()


# ------------------------------------------------------------------ rerunning cells

def test_redefine_method(kernel):
    kernel.execute("int f(int x) { return x + 1; }").assert_ok()
    kernel.execute("int y = f(1);").assert_ok()
    assert kernel.execute("y").assert_ok().text == "2"
    kernel.execute("int f(int x) { return x + 2; }").assert_ok()
    assert kernel.execute("f(1)").assert_ok().text == "3"


def test_redefine_class(kernel):
    kernel.execute("class Shape { int sides() { return 3; } }").assert_ok()
    assert kernel.execute("new Shape().sides()").assert_ok().text == "3"
    kernel.execute("class Shape { int extra = 1; int sides() { return 4 + extra; } }").assert_ok()
    assert kernel.execute("new Shape().sides()").assert_ok().text == "5"


def test_rerun_same_cell(kernel):
    code = "record Pair(int a, int b) {}\nvar pair = new Pair(1, 2);\npair.a() + pair.b()"
    for _ in range(3):
        assert kernel.execute(code).assert_ok().text == "3"


# ------------------------------------------------------------------ default imports

@pytest.mark.parametrize("code, expected", [
    ("new ArrayList<Integer>()", "[]"),
    ("new ConcurrentHashMap<String, Integer>()", "{}"),
    ("Function<Integer, Integer> inc = x -> x + 1;\ninc.apply(41)", "42"),
    ('List.of(1, 2, 3).stream().map(String::valueOf).collect(Collectors.joining(","))', "1,2,3"),
    ('new File("notes.txt").getName()', "notes.txt"),
    ('Paths.get("a", "b").toString()', "a/b"),
    ("Duration.ofSeconds(90).toMinutes()", "1"),
])
def test_default_imports(kernel, code, expected):
    res = kernel.execute(code).assert_ok()
    assert expected in (res.text or ""), res


# ------------------------------------------------------------------ display

def _display_id(content: dict) -> str:
    return (content.get("transient") or {}).get("display_id") or ""


def test_display_and_update(kernel):
    shown = kernel.execute('var h = display("first");').assert_ok()
    assert shown.displays, f"no display_data:\n{shown}"
    first = shown.displays[0]
    assert "first" in first["data"].get("text/plain", ""), first
    did = _display_id(first)
    assert did, f"display_data without transient.display_id: {first}"
    start = len(kernel.mailbox.iopub)
    upd = kernel.execute('h.update("second");').assert_ok()
    msg = kernel.mailbox.wait_iopub(lambda m: m["msg_type"] == "update_display_data", timeout=10,
                                    what="update_display_data", start=start)
    assert _display_id(msg["content"]) == did, msg["content"]
    assert "second" in msg["content"]["data"].get("text/plain", ""), msg["content"]
    assert not upd.displays, f"update created a new display instead:\n{upd}"


def test_display_in_same_cell_update(kernel):
    res = kernel.execute('var p = display("step 0");\nfor (int i = 1; i <= 3; i++) p.update("step " + i);')
    res.assert_ok()
    assert len(res.displays) == 1, res
    did = _display_id(res.displays[0])
    assert [u["data"]["text/plain"] for u in res.updates][-1].endswith("step 3"), res
    assert all(_display_id(u) == did for u in res.updates), res


@pytest.mark.parametrize("code, mime, needle", [
    ('display(html("<b>bold</b>"));', "text/html", "<b>bold</b>"),
    ('display(markdown("# Title"));', "text/markdown", "# Title"),
    ('display(svg("<svg xmlns=\'http://www.w3.org/2000/svg\' width=\'4\' height=\'4\'></svg>"));',
     "image/svg+xml", "<svg"),
])
def test_display_rich(kernel, code, mime, needle):
    res = kernel.execute(code).assert_ok()
    assert res.displays, res
    data = res.displays[0]["data"]
    assert needle in data.get(mime, ""), data
    assert "text/plain" in data, data


def test_display_png_bytes(kernel):
    code = ("var img = new java.awt.image.BufferedImage(3, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
            "var bos = new java.io.ByteArrayOutputStream();\n"
            "javax.imageio.ImageIO.write(img, \"png\", bos);\n"
            "display(png(bos.toByteArray()));")
    res = kernel.execute(code).assert_ok()
    assert res.displays and "image/png" in res.displays[0]["data"], res
    assert png_bytes(res.displays[0]["data"]).startswith(b"\x89PNG"), res


def test_display_buffered_image(kernel):
    res = kernel.execute("display(new java.awt.image.BufferedImage(5, 5, "
                         "java.awt.image.BufferedImage.TYPE_INT_ARGB));").assert_ok()
    assert res.displays and "image/png" in res.displays[0]["data"], res
    assert png_bytes(res.displays[0]["data"]).startswith(b"\x89PNG")


def test_buffered_image_result_is_png(kernel):
    res = kernel.execute("var bi = new java.awt.image.BufferedImage(8, 6, "
                         "java.awt.image.BufferedImage.TYPE_INT_RGB);\nbi").assert_ok()
    assert res.data and "image/png" in res.data, res
    png = png_bytes(res.data)
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), png[:16]
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (8, 6)


def test_clear_output(kernel):
    start = len(kernel.mailbox.iopub)
    res = kernel.execute('System.out.println("to be cleared");\nclearOutput();').assert_ok()
    msg = kernel.mailbox.wait_iopub(lambda m: m["msg_type"] == "clear_output", timeout=10,
                                    what="clear_output", start=start)
    assert msg["content"].get("wait") is False, msg["content"]
    assert msg["parent_header"].get("msg_id") == res.msg_id
    # the print before clearOutput() must arrive before the clear, not after it
    kinds = [(m["msg_type"], m["content"].get("text", "")) for m in res.iopub]
    i_text = next(i for i, k in enumerate(kinds) if k[0] == "stream" and "to be cleared" in k[1])
    i_clear = next(i for i, k in enumerate(kinds) if k[0] == "clear_output")
    assert i_text < i_clear, kinds
