"""jupyter_kernel_test's protocol conformance suite against the Spindle kernel: every message is
validated against the messaging spec (v5) by the suite itself, besides the checks below.

jupyter_kernel_test is not on this machine's pip index; Debian packages it as
python3-jupyter-kernel-test (.ci/run installs it). Its directory is appended to sys.path, after
the venv's own packages, so the venv's jupyter_client is the one used.
"""
from __future__ import annotations

import inspect
import sys
import unittest
from pathlib import Path

import pytest

from support.kernel import patched_environ

DEBIAN_DIST = Path("/usr/lib/python3/dist-packages")


def _import_kernel_test():
    try:
        import jupyter_kernel_test  # noqa: F401
    except ImportError:
        if (DEBIAN_DIST / "jupyter_kernel_test").is_dir():
            sys.path.append(str(DEBIAN_DIST / "jupyter_kernel_test" / ".."))
    try:
        import jupyter_kernel_test
        return jupyter_kernel_test
    except ImportError:
        return None


jkt = _import_kernel_test()
if jkt is None:
    pytest.skip("jupyter_kernel_test is not installed (pip has none here; apt-get install "
                "python3-jupyter-kernel-test)", allow_module_level=True)


def _sync_or_async(f):
    """Debian's suite (0.4.5) wraps every channel call in run_sync, written for jupyter_client 7's
    async channels; the venv's jupyter_client 8 has blocking ones. 0.7 does the same check."""
    return f if not inspect.iscoroutinefunction(f) else _run_sync(f)


_run_sync = jkt.run_sync
jkt.run_sync = _sync_or_async


@pytest.fixture(scope="class")
def _spindle_env(spindle_install, request):
    """The suite starts its kernel by name: it must see the isolated kernelspec."""
    with patched_environ(spindle_install.env):
        request.cls.setUpClass_real()
        try:
            yield
        finally:
            request.cls.tearDownClass_real()


@pytest.mark.usefixtures("_spindle_env")
class TestSpindleConformance(jkt.KernelTests):
    kernel_name = "spindle"
    language_name = "java"
    file_extension = ".jshell"

    # The suite's own class set-up runs inside the isolated environment (see _spindle_env).
    setUpClass_real = classmethod(jkt.KernelTests.setUpClass.__func__)
    tearDownClass_real = classmethod(jkt.KernelTests.tearDownClass.__func__)

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs", "absExact"}},
        {"text": "Integer.parseI", "matches": {"parseInt"}},
    ]
    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "%lsmagic", "%%time\nThread.sleep(1);"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "class A {", "String s = \"a\" +"]
    invalid_code_samples = ["@@@", "int x = ;)"]

    code_page_something = "Workers.thread?"
    code_generate_error = 'throw new RuntimeException("boom");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"spin\" + \"dle\"", "result": "\"spindle\""},
    ]
    code_display_data = [
        {"code": 'display(html("<b>bold</b>"));', "mime": "text/html"},
        {"code": 'display(markdown("*em*"));', "mime": "text/markdown"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    code_clear_output = "clearOutput();"


def test_suite_is_the_debian_one_or_newer():
    """Names what ran, so a skip above is never mistaken for a pass."""
    assert tuple(int(p) for p in jkt.__version__.split(".")[:2]) >= (0, 4), jkt.__version__

