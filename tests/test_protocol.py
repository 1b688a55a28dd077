"""Jupyter messaging protocol: the requests other than execute, lifecycle, and
what the kernel does with messages it must not trust."""
from __future__ import annotations

import fnmatch
import hashlib
import hmac
import json
import re
import time
import uuid

import pytest
import zmq
from jupyter_client.session import Session

from support.kernel import STARTUP_TIMEOUT
from support.messages import request

# ------------------------------------------------------------------ kernelspec

def test_kernelspec_is_installed_as_spindle(spindle_install):
    spec = spindle_install.ksm.get_kernel_spec("spindle")
    assert spec.display_name == "Java (Spindle)"
    assert spec.language == "java"
    assert spec.interrupt_mode == "message"


# ------------------------------------------------------------------ kernel_info

def _protocol_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def test_kernel_info(kernel):
    reply = kernel.request("kernel_info_request", {})
    assert reply["msg_type"] == "kernel_info_reply"
    c = reply["content"]
    assert c.get("status") == "ok", c
    assert c.get("implementation") == "spindle", c
    assert c.get("implementation_version"), c
    assert _protocol_tuple(c.get("protocol_version", "0")) >= (5, 3), c
    assert isinstance(c.get("banner"), str) and c["banner"].strip(), c


@pytest.mark.parametrize("key, expected", [
    ("name", "java"),
    ("mimetype", "text/x-java"),
    ("file_extension", ".jshell"),
    ("codemirror_mode", "text/x-java"),
    ("pygments_lexer", "java"),
])
def test_kernel_info_language_info(kernel, key, expected):
    li = kernel.request("kernel_info_request", {})["content"].get("language_info", {})
    assert li.get(key) == expected, li


def test_kernel_info_language_version_is_the_running_java(kernel, java_major):
    li = kernel.request("kernel_info_request", {})["content"].get("language_info", {})
    version = str(li.get("version", ""))
    assert re.match(rf"{java_major}\b", version), f"language_info.version {version!r} is not Java {java_major}"


def test_kernel_info_help_links(kernel):
    links = kernel.request("kernel_info_request", {})["content"].get("help_links")
    assert isinstance(links, list) and links, links
    for link in links:
        assert link.get("text") and re.match(r"https?://", link.get("url", "")), link


# ------------------------------------------------------------------ complete

def test_complete_identifier(kernel):
    c = kernel.request("complete_request", {"code": "Syst", "cursor_pos": 4})["content"]
    assert c["status"] == "ok", c
    assert "System" in c["matches"], c["matches"][:50]
    assert (c["cursor_start"], c["cursor_end"]) == (0, 4), c


def test_complete_member_after_dot(kernel):
    code = '"abc".len'
    c = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)})["content"]
    assert c["status"] == "ok", c
    assert "length()" in c["matches"], c["matches"][:50]
    assert c["cursor_start"] == code.index(".") + 1, c
    assert c["cursor_end"] == len(code), c


def test_complete_reports_kinds_and_signatures_in_jupyter_form(kernel):
    """`abs`, not JShell's `abs(`; JupyterLab's metadata names each match's kind, and once the
    prefix has narrowed the list, a method's signature."""
    c = kernel.request("complete_request", {"code": "Math.ab", "cursor_pos": 7})["content"]
    assert set(c["matches"]) == {"abs", "absExact"}, c
    types = {t["text"]: t for t in c["metadata"]["_jupyter_types_experimental"]}
    assert types["abs"]["type"] == "function", types
    assert "abs(" in types["abs"]["signature"], types
    wide = kernel.request("complete_request", {"code": "Math.", "cursor_pos": 5})["content"]
    kinds = {t["text"]: t["type"] for t in wide["metadata"]["_jupyter_types_experimental"]}
    assert kinds.get("max") == "function" and kinds.get("PI") == "instance", kinds


def test_complete_uses_cell_definitions(kernel):
    kernel.execute("int completionTarget42 = 1;").assert_ok()
    c = kernel.request("complete_request", {"code": "completionTar", "cursor_pos": 13})["content"]
    assert c["status"] == "ok", c
    assert any(m.startswith("completionTarget42") for m in c["matches"]), c["matches"]


# ------------------------------------------------------------------ inspect

@pytest.mark.parametrize("code, cursor, name", [
    ("String.valueOf", len("String.valueOf"), "valueOf"),      # cursor at the end
    ("String.valueOf", len("String.val"), "valueOf"),          # cursor inside the word
    ("Math.max", len("Math.max"), "max"),
    ("int m = Math.max(1, 2);", len("int m = Math.ma"), "max"),
])
def test_inspect_shows_signature(kernel, code, cursor, name):
    c = kernel.request("inspect_request", {"code": code, "cursor_pos": cursor, "detail_level": 0})["content"]
    assert c["status"] == "ok", c
    assert c["found"] is True, c
    text = c["data"].get("text/plain", "")
    assert re.search(rf"\b{name}\s*\(", text), f"no {name}(...) signature in {text!r}"


@pytest.mark.parametrize("code, needle", [
    # Spindle's own helpers: their Javadoc ships in the jar (JShell only reads the JDK's src.zip).
    ("Workers.thread", "thread"),
    ("Pools.processes", "child"),
    ("Benchmark.of", "benchmark"),
])
def test_inspect_shows_javadoc_of_spindle_helpers(kernel, code, needle):
    c = kernel.request("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})["content"]
    assert c["status"] == "ok" and c["found"] is True, c
    text = c["data"].get("text/plain", "")
    signature, _, doc = text.partition("\n")
    assert code.split(".")[1] + "(" in signature, text
    # More than the signature: a sentence of the method's own documentation.
    assert len(doc.split()) >= 5 and needle in doc.lower(), f"no Javadoc after the signature in {text!r}"
    assert "```java" in c["data"].get("text/markdown", ""), c["data"]
    assert "{@code" not in text and "{@link" not in text, text


def test_question_mark_pages_the_documentation(kernel):
    """As in IPython, `name?` shows the name's documentation in the frontend's pager."""
    res = kernel.execute("Workers.thread?")
    assert res.status == "ok", res.content
    pages = [p for p in res.content["payload"] if p.get("source") == "page"]
    assert len(pages) == 1, res.content
    assert "thread(" in pages[0]["data"]["text/plain"], pages[0]
    assert "```java" in pages[0]["data"]["text/markdown"], pages[0]
    assert not res.execute_results, "a help query computes no value"
    missing = kernel.execute("noSuchThing123?")
    assert missing.status == "ok" and not missing.content["payload"], missing.content
    assert "noSuchThing123" in missing.stdout and "not found" in missing.stdout, missing.stdout


def test_inspect_unknown_name_not_found(kernel):
    code = "noSuchThingAnywhere123"
    c = kernel.request("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})["content"]
    assert c["status"] == "ok", c
    assert c["found"] is False, c


# ------------------------------------------------------------------ is_complete

@pytest.mark.parametrize("code, expected", [
    ("int x = 1;", "complete"),
    ("1 + 1", "complete"),
    ("for (int i = 0; i < 3; i++) {", "incomplete"),
    ("class Open {\n    int x;", "incomplete"),
    ("int x = ;)", None),
])
def test_is_complete(kernel, code, expected):
    c = kernel.request("is_complete_request", {"code": code})["content"]
    assert c.get("status") in {"complete", "incomplete", "invalid", "unknown"}, c
    if expected is None:
        assert c["status"] != "complete", c
    else:
        assert c["status"] == expected, c
    if c["status"] == "incomplete":
        assert "indent" in c and isinstance(c["indent"], str), c


def test_is_complete_open_block_indents(kernel):
    c = kernel.request("is_complete_request", {"code": "for (int i = 0; i < 3; i++) {"})["content"]
    assert c["status"] == "incomplete", c
    assert c.get("indent", "").strip() == "" and len(c.get("indent", "")) > 0, c


# ------------------------------------------------------------------ history

def _history(kernel, **content) -> list:
    base = {"output": False, "raw": True}
    base.update(content)
    c = kernel.request("history_request", base)["content"]
    assert c["status"] == "ok", c
    return [tuple(e) for e in c["history"]]


@pytest.fixture
def history_cells(kernel):
    tag = uuid.uuid4().hex[:6]
    codes = [f"int foo_hist_{tag}_{i} = {i};" for i in range(3)]
    for code in codes:
        kernel.execute(code).assert_ok()
    return codes


def test_history_tail(kernel, history_cells):
    entries = _history(kernel, hist_access_type="tail", n=2)
    assert len(entries) == 2, entries
    for e in entries:
        assert len(e) == 3 and isinstance(e[0], int) and isinstance(e[1], int) and isinstance(e[2], str), e
    assert [e[2] for e in entries] == history_cells[-2:], entries
    assert entries[1][1] == entries[0][1] + 1, entries


def test_history_range(kernel, history_cells):
    tail = _history(kernel, hist_access_type="tail", n=3)
    assert [e[2] for e in tail] == history_cells, tail
    session, first, last = tail[0][0], tail[0][1], tail[-1][1]
    entries = _history(kernel, hist_access_type="range", session=session, start=first, stop=last + 1)
    assert [e[2] for e in entries if first <= e[1] <= last] == history_cells, entries
    assert all(first <= e[1] <= last + 1 for e in entries), entries


def test_history_search(kernel, history_cells):
    tag = history_cells[0].split("_")[2]
    pattern = f"*foo_hist_{tag}*"
    entries = _history(kernel, hist_access_type="search", pattern=pattern, n=10)
    inputs = [e[2] for e in entries]
    assert sorted(inputs) == sorted(history_cells), entries
    assert all(fnmatch.fnmatchcase(i, pattern) for i in inputs), entries


def test_history_does_not_record_unstored_cells(kernel, history_cells):
    kernel.execute("int notStored = 5;", store_history=False).assert_ok()
    entries = _history(kernel, hist_access_type="tail", n=1)
    assert entries and entries[-1][2] == history_cells[-1], entries


# ------------------------------------------------------------------ comm_info

def test_comm_info(kernel):
    c = kernel.request("comm_info_request", {})["content"]
    assert c["status"] == "ok", c
    assert isinstance(c.get("comms"), dict), c


def test_comm_info_with_target(kernel):
    c = kernel.request("comm_info_request", {"target_name": "jupyter.widget"})["content"]
    assert c["status"] == "ok", c
    assert isinstance(c.get("comms"), dict), c


# ------------------------------------------------------------------ every reply

@pytest.mark.parametrize("msg_type, content", [
    ("kernel_info_request", {}),
    ("execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}),
    ("execute_request", {"code": "int = ;", "silent": False, "store_history": True,
                         "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}),
    ("complete_request", {"code": "Sys", "cursor_pos": 3}),
    ("inspect_request", {"code": "Math.abs", "cursor_pos": 8, "detail_level": 0}),
    ("is_complete_request", {"code": "int x = 1;"}),
    ("history_request", {"hist_access_type": "tail", "n": 1, "output": False, "raw": True}),
    ("comm_info_request", {}),
])
def test_every_reply_has_status(kernel, msg_type, content):
    reply = kernel.request(msg_type, content)
    assert reply["msg_type"] == msg_type.replace("_request", "_reply"), reply["msg_type"]
    allowed = ({"complete", "incomplete", "invalid", "unknown"} if msg_type == "is_complete_request"
               else {"ok", "error", "aborted"})
    assert reply["content"].get("status") in allowed, reply["content"]


def test_unknown_request_type_gets_error_reply(kernel):
    msg = kernel.kc.session.msg("foo_request", {})
    kernel.kc.shell_channel.send(msg)
    reply = kernel.mailbox.reply(msg["header"]["msg_id"], timeout=10)
    assert reply["content"].get("status") == "error", reply
    kernel.assert_usable()


# ------------------------------------------------------------------ lifecycle

def test_restart_kernel(start_kernel):
    k = start_kernel()
    k.execute("int beforeRestart = 41;").assert_ok()
    old = k.process
    k.km.restart_kernel(now=False)
    assert old.poll() is not None, "old kernel process still running after restart"
    assert old.returncode >= 0, (
        f"the kernel did not exit on shutdown_request(restart=True) and was killed "
        f"(returncode {old.returncode})")
    assert k.pid != old.pid
    k.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
    info = k.request("kernel_info_request", {})["content"]
    assert info["status"] == "ok" and info["implementation"] == "spindle", info
    gone = k.execute("beforeRestart")
    assert gone.status == "error", f"state survived the restart:\n{gone}"
    k.assert_usable()


@pytest.mark.parametrize("restart", [False, True])
def test_shutdown_request_exits(start_kernel, restart):
    k = start_kernel()
    proc = k.process
    reply = request(k.kc, "shutdown_request", {"restart": restart}, channel="control", timeout=10)
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"].get("status") == "ok", reply["content"]
    assert reply["content"].get("restart") is restart, reply["content"]
    try:
        code = proc.wait(timeout=10)
    except Exception:
        pytest.fail("kernel process still running 10 s after shutdown_reply")
    assert code is not None and code >= 0, f"kernel exited with {code}"


def test_shutdown_while_cell_running(start_kernel):
    k = start_kernel()
    proc = k.process
    k.kc.execute("while (true) { Thread.onSpinWait(); }")
    reply = request(k.kc, "shutdown_request", {"restart": False}, channel="control", timeout=10)
    assert reply["content"].get("status") == "ok", reply["content"]
    try:
        proc.wait(timeout=10)
    except Exception:
        pytest.fail("kernel with a busy cell still running 10 s after shutdown_reply")


# ------------------------------------------------------------------ hostile wire

class RawShell:
    """A DEALER socket on the kernel's shell port, speaking the wire protocol by hand."""

    def __init__(self, k):
        info = k.km.get_connection_info()
        key = info["key"]
        self.key = key if isinstance(key, bytes) else key.encode()
        self.scheme = info.get("signature_scheme", "hmac-sha256")
        self.good = Session(key=self.key, signature_scheme=self.scheme, username="raw")
        self.bad = Session(key=b"definitely-not-the-key", signature_scheme=self.scheme, username="raw")
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.linger = 0
        self.sock.identity = uuid.uuid4().hex.encode()
        self.sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        self.replies: list[dict] = []

    def send(self, session: Session, msg_type: str, content: dict) -> str:
        msg = session.msg(msg_type, content)
        session.send(self.sock, msg)
        return msg["header"]["msg_id"]

    def send_frames(self, header: dict | bytes, content: bytes, key: bytes | None = None) -> str:
        hdr = header if isinstance(header, bytes) else self.good.pack(header)
        parts = [hdr, b"{}", b"{}", content]
        digest = hmac.new(key or self.key, digestmod=hashlib.sha256)
        for p in parts:
            digest.update(p)
        self.sock.send_multipart([b"<IDS|MSG>", digest.hexdigest().encode(), *parts])
        return header["msg_id"] if isinstance(header, dict) else ""

    def header(self, msg_type: str) -> dict:
        return self.good.msg_header(msg_type)

    def wait_reply(self, msg_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for r in self.replies:
                if r["parent_header"].get("msg_id") == msg_id:
                    return r
            left = deadline - time.monotonic()
            if left <= 0 or not self.sock.poll(int(left * 1000)):
                raise TimeoutError(f"no reply to {msg_id} within {timeout}s")
            frames = self.sock.recv_multipart()
            _, rest = self.good.feed_identities(frames)
            self.replies.append(self.good.deserialize(rest))

    def close(self):
        self.sock.close(0)
        self.ctx.term()


@pytest.fixture
def raw(start_kernel):
    k = start_kernel()
    r = RawShell(k)
    r.kernel = k
    yield r
    r.close()


def _exec_content(code: str) -> dict:
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": False}


def _wait_log(k, pattern: str, timeout: float = 10.0) -> str:
    """The kernel log, once it matches pattern (bounded poll of a file)."""
    deadline = time.monotonic() + timeout
    while True:
        text = k.log_text()
        if re.search(pattern, text, re.I) or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_wrong_signature_is_ignored_and_logged(raw):
    k = raw.kernel
    marker = k.dir / "created-by-unsigned-message.txt"
    bad_ids = [
        raw.send(raw.bad, "kernel_info_request", {}),
        raw.send(raw.bad, "execute_request", _exec_content(
            f'java.nio.file.Files.writeString(java.nio.file.Path.of("{marker}"), "x");')),
    ]
    # Shell requests are handled in order: once this properly signed execute has its
    # reply, the kernel has already seen (and must have dropped) the forged ones.
    good_id = raw.send(raw.good, "execute_request", _exec_content("1 + 1"))
    reply = raw.wait_reply(good_id, timeout=30)
    assert reply["content"]["status"] == "ok", reply["content"]
    info_id = raw.send(raw.good, "kernel_info_request", {})
    assert raw.wait_reply(info_id, timeout=10)["content"]["status"] == "ok"
    answered = [r["parent_header"].get("msg_id") for r in raw.replies]
    assert not set(bad_ids) & set(answered), "the kernel answered a message signed with the wrong key"
    assert not marker.exists(), "an execute_request with a wrong signature was executed"
    log = _wait_log(k, r"signature")
    assert re.search(r"signature", log, re.I), f"kernel log does not mention the bad signature:\n{log[-3000:]}"


def test_unsigned_message_is_ignored(raw):
    k = raw.kernel
    marker = k.dir / "created-by-unsigned.txt"
    hdr = raw.header("execute_request")
    content = json.dumps(_exec_content(
        f'java.nio.file.Files.writeString(java.nio.file.Path.of("{marker}"), "x");')).encode()
    raw.sock.send_multipart([b"<IDS|MSG>", b"", raw.good.pack(hdr), b"{}", b"{}", content])
    good_id = raw.send(raw.good, "execute_request", _exec_content("1 + 1"))
    assert raw.wait_reply(good_id, timeout=30)["content"]["status"] == "ok"
    assert hdr["msg_id"] not in [r["parent_header"].get("msg_id") for r in raw.replies]
    assert not marker.exists(), "an unsigned execute_request was executed"


@pytest.mark.parametrize("case", ["bad-json-content", "bad-json-header", "content-not-object",
                                  "too-few-frames", "no-delimiter", "unknown-msg-type"])
def test_malformed_messages_are_survived(raw, case):
    hdr = raw.header("execute_request")
    if case == "bad-json-content":
        raw.send_frames(hdr, b'{"code": "1 + ')
    elif case == "bad-json-header":
        raw.send_frames(b'{"msg_id": "x", "msg_type": ', b"{}")
    elif case == "content-not-object":
        raw.send_frames(hdr, b"[1, 2, 3]")
    elif case == "too-few-frames":
        raw.sock.send_multipart([b"<IDS|MSG>", b"sig", raw.good.pack(hdr)])
    elif case == "no-delimiter":
        raw.sock.send_multipart([b"hello", b"world"])
    elif case == "unknown-msg-type":
        raw.send(raw.good, "no_such_message_type", {"x": 1})
    info_id = raw.send(raw.good, "kernel_info_request", {})
    assert raw.wait_reply(info_id, timeout=15)["content"]["status"] == "ok"
    raw.kernel.assert_usable()


def test_huge_message_is_survived(raw):
    code = "// " + "x" * (20 * 1024 * 1024) + "\n1 + 1"
    huge_id = raw.send(raw.good, "execute_request", _exec_content(code))
    reply = raw.wait_reply(huge_id, timeout=90)
    assert reply["content"].get("status") in {"ok", "error"}, reply["content"]
    info_id = raw.send(raw.good, "kernel_info_request", {})
    assert raw.wait_reply(info_id, timeout=30)["content"]["status"] == "ok"
    raw.kernel.assert_usable(timeout=60)
