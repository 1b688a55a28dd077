"""Cells that compile once per group of statements, and errors in the cell's own terms.

Consecutive plain statements of a cell run as one JShell snippet; declarations stay their own.
What a user sees must not change: values, declarations and redefinitions, the lines of stack
frames, and compile errors whose caret stands under the right column. Errors name the cell's
variables and classes rather than JShell's wrappers, and a cell aborted by an earlier failure
says so. %%time and Measurement report compiling apart from running.
"""
from __future__ import annotations

import re
import uuid

from support.messages import collect, mailbox, request, strip_ansi


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _caret_column(tb: str, code_line: str) -> int:
    """Column of the caret under the line that shows `code_line` (relative to that line)."""
    lines = tb.splitlines()
    idx = [i for i, ln in enumerate(lines) if ln.endswith(code_line)]
    assert idx, f"the offending line {code_line!r} is not shown:\n{tb}"
    shown = lines[idx[-1]]
    caret = lines[idx[-1] + 1]
    assert caret.strip() == "^", f"no caret line under {code_line!r}:\n{tb}"
    return caret.index("^") - (len(shown) - len(code_line))


def _frames(traceback: str) -> list[str]:
    return [ln.strip() for ln in traceback.splitlines() if re.match(r"\s*at\s", ln)]


# ------------------------------------------------------------------ carets

def test_caret_under_the_error_of_a_second_statement(kernel):
    t = _tag()
    res = kernel.execute(f"int first{t} = 1;\nint second{t} = \"s\";").assert_error()
    tb = res.traceback
    col = _caret_column(tb, f'int second{t} = "s";')
    assert col == len(f"int second{t} = "), f"caret at column {col}, not under the string:\n{tb}"
    assert "line 2" in tb, tb


def test_caret_under_the_error_of_an_indented_statement(kernel):
    t = _tag()
    res = kernel.execute(f"int a{t} = 1;\n\n      String b{t} = a{t} + undefinedName{t};").assert_error()
    tb = res.traceback
    line = f"      String b{t} = a{t} + undefinedName{t};"
    col = _caret_column(tb, line)
    assert col == line.index(f"undefinedName{t}"), f"caret at column {col}:\n{tb}"
    assert "line 3" in tb, tb


def test_caret_in_a_group_of_statements(kernel):
    """An error inside a run of statements (compiled as one block first) points at its own
    line and column."""
    t = _tag()
    code = (f"var xs{t} = new ArrayList<Integer>();\n"
            f"xs{t}.add(1);\n"
            f"  xs{t}.add(\"two\");\n"
            f"xs{t}.add(3);")
    res = kernel.execute(code).assert_error()
    tb = res.traceback
    line = f'  xs{t}.add("two");'
    col = _caret_column(tb, line)
    assert line.index(f"xs{t}") <= col <= line.index('"two"'), f"caret at column {col}:\n{tb}"
    assert "line 3" in tb, tb
    # as on their own, the statements before the bad one ran, the ones after did not
    assert kernel.execute(f"xs{t}").assert_ok().text == "[1]"


# ------------------------------------------------------------------ messages

def test_cannot_find_symbol_has_no_empty_location(kernel):
    res = kernel.execute(f"int v{_tag()} = notDeclaredAnywhere + 1;").assert_error()
    tb = res.traceback
    assert "cannot find symbol" in tb, tb
    assert not re.search(r"location: class\s*$", tb, re.M), f"empty location line:\n{tb}"


def test_null_variable_is_named_as_in_the_cell(kernel):
    t = _tag()
    res = kernel.execute(f"String o{t} = null;\no{t}.length()").assert_error()
    text = res.evalue + "\n" + res.traceback
    assert "$JShell$" not in text and "REPL." not in text, text
    assert f"variable o{t} is null" in res.evalue, res.evalue


def test_cell_classes_are_named_as_in_the_cell(kernel):
    t = _tag()
    res = kernel.execute(f"class Oops{t} extends RuntimeException {{ Oops{t}(String m) {{ super(m); }} }}\n"
                         f"throw new Oops{t}(\"mine\");").assert_error()
    assert res.ename == f"Oops{t}", res
    assert "$JShell$" not in res.traceback, res.traceback
    cast = kernel.execute(f"class A{t} {{}}\nclass B{t} {{}}\nObject a{t} = new A{t}();\nB{t} b{t} = (B{t}) a{t};")
    cast.assert_error()
    assert "ClassCastException" in cast.ename, cast
    assert f"A{t} cannot be cast to class B{t}" in cast.evalue, cast.evalue
    assert "$JShell$" not in cast.evalue and "RemoteClassLoader" not in cast.evalue, cast.evalue


# ------------------------------------------------------------------ aborted cells

def _queue_behind(kernel, first: str, then: list[str]) -> list[str]:
    kc = kernel.kc
    return [kc.execute(first)] + [kc.execute(c) for c in then]


def test_aborted_cell_says_why(kernel):
    ids = _queue_behind(kernel, 'Thread.sleep(300);\nthrow new IllegalStateException("first fails");',
                        [f"int notRun{_tag()} = 2;"])
    failed, aborted = (collect(kernel.kc, i, timeout=30) for i in ids)
    assert failed.status == "error", failed
    assert aborted.status == "aborted", aborted
    note = aborted.stderr
    assert note.startswith("not run: an earlier cell"), aborted
    assert f"[{failed.execution_count}]" in note and "IllegalStateException" in note, note
    assert not aborted.errors and not aborted.execute_results, aborted


def test_cell_aborted_by_an_interrupt_says_so(kernel):
    kc = kernel.kc
    first = kc.execute("Thread.sleep(20_000);")
    second = kc.execute(f"int notRunEither{_tag()} = 3;")
    # interrupt once the first cell is running (its execute_input came)
    mailbox(kc).wait_iopub(lambda m: m["parent_header"].get("msg_id") == first and m["msg_type"] == "execute_input",
                  timeout=30, what="the first cell to start")
    request(kc, "interrupt_request", {}, channel="control")
    interrupted = collect(kc, first, timeout=30)
    aborted = collect(kc, second, timeout=30)
    assert interrupted.status == "error", interrupted
    assert aborted.status == "aborted", aborted
    assert "was interrupted" in aborted.stderr, aborted
    kernel.assert_usable()


# ------------------------------------------------------------------ grouped statements

def test_statements_between_declarations_keep_jshell_semantics(kernel):
    t = _tag()
    code = (f"var log{t} = new ArrayList<String>();\n"
            f"log{t}.add(\"a\");\n"
            f"log{t}.add(\"b\");\n"
            f"int n{t} = log{t}.size();\n"
            f"for (int i = 0; i < n{t}; i++) log{t}.add(\"c\" + i);\n"
            f"log{t}.add(\"d\");\n"
            f"String joined{t}() {{ return String.join(\",\", log{t}); }}\n"
            f"joined{t}()")
    res = kernel.execute(code).assert_ok()
    assert res.text == '"a,b,c0,c1,d"', res
    # the declarations are top-level: later cells see them; redefinition works as ever
    assert kernel.execute(f"n{t}").assert_ok().text == "2"
    kernel.execute(f"String joined{t}() {{ return \"redefined\"; }}").assert_ok()
    assert kernel.execute(f"joined{t}()").assert_ok().text == '"redefined"'


def test_last_expression_after_statements_is_shown_and_semicolon_hides_it(kernel):
    t = _tag()
    kernel.execute(f"var box{t} = new int[1];").assert_ok()
    shown = kernel.execute(f"box{t}[0]++;\nbox{t}[0]++;\nbox{t}[0] * 10").assert_ok()
    assert shown.text == "20", shown
    hidden = kernel.execute(f"box{t}[0]++;\nbox{t}[0]++;\nMath.max(box{t}[0], 1);").assert_ok()
    assert not hidden.execute_results, hidden
    assert kernel.execute(f"box{t}[0]").assert_ok().text == "4"


def test_frame_of_a_statement_in_a_group_cites_its_line(kernel):
    t = _tag()
    code = (f"int[] hits{t} = new int[2];\n"
            f"hits{t}[0] = 1;\n"
            f"hits{t}[1] = 2;\n"
            f"  hits{t}[2] = 3;\n"
            f"hits{t}[0] = 4;")
    res = kernel.execute(code).assert_error()
    assert "ArrayIndexOutOfBoundsException" in res.ename, res
    frames = _frames(res.traceback)
    assert frames and "line 4" in frames[0], f"the frame does not cite line 4:\n{res.traceback}"
    assert kernel.execute(f"hits{t}[0]").assert_ok().text == "1", "a statement after the failing one ran"


def test_statement_in_a_group_calling_a_cell_method_cites_both_lines(kernel):
    t = _tag()
    code = (f"int div{t}(int a, int b) {{\n"
            f"    return a / b; }}\n"
            f"System.out.println(\"before\");\n"
            f"System.out.println(div{t}(1, 0));\n"
            f"System.out.println(\"after\");")
    res = kernel.execute(code).assert_error()
    assert res.stdout == "before\n", res
    frames = _frames(res.traceback)
    assert any(f"div{t}" in f and "line 2" in f for f in frames), res.traceback
    assert any("line 4" in f for f in frames), res.traceback


# ------------------------------------------------------------------ timing

_TIME = re.compile(r"^CPU times: process .*; Wall time: (?P<wall>\d+(?:\.\d+)?) (?P<unit>s|ms|µs|ns); "
                   r"parallelism .*$")
_COMPILE = re.compile(r"^Compile time: \d+(?:\.\d+)? (?:s|ms|µs|ns)$")
_UNIT = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}


def test_time_magic_reports_compile_time_apart(kernel):
    res = kernel.execute("%%time\nThread.sleep(300);\nint slept" + _tag() + " = 300;").assert_ok()
    lines = res.stdout.splitlines()
    assert len(lines) == 2, res
    m = _TIME.match(lines[0])
    assert m, lines
    assert _COMPILE.match(lines[1]), lines
    wall = float(m["wall"]) * _UNIT[m["unit"]]
    assert wall >= 0.3, lines  # the sleep itself is run time, never compile time


def test_measurement_across_statements_reports_compiling_apart(kernel):
    t = _tag()
    res = kernel.execute(f"var clock{t} = Measurement.start();\n"
                         f"Thread.sleep(50);\n"
                         f"System.out.print(\"\");\n"
                         f"int later{t} = 1;\n"
                         f"System.out.println(clock{t}.stop());").assert_ok()
    lines = [strip_ansi(ln) for ln in res.stdout.splitlines()]
    assert len(lines) == 2 and _TIME.match(lines[0]) and _COMPILE.match(lines[1]), res
