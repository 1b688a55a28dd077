"""Talking to a kernel through a ``BlockingKernelClient``: a ``Mailbox`` that files every
message by its parent, and ``execute`` / ``collect`` (reply + iopub until idle, answering
stdin) returning a ``Result``; ``request`` sends any shell or control request.

Every wait here is bounded; nothing sleeps to synchronise.
"""
from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import zmq

REPLY_TIMEOUT = 30.0     # ordinary requests

_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    return _ANSI_RE.sub("", text or "")


# ---------------------------------------------------------------- message store

class Mailbox:
    """Reads a BlockingKernelClient's iopub/shell/stdin sockets and files every
    message by its parent msg_id, so that pipelined requests and output that
    arrives late (or for someone else) is never lost."""

    def __init__(self, kc):
        self.kc = kc
        self.iopub: list[dict] = []                  # every iopub message, arrival order
        self.iopub_by_parent: dict[str, list[dict]] = {}
        self.shell_by_parent: dict[str, dict] = {}
        self.shell_unparented: list[dict] = []
        self.stdin: list[dict] = []                  # input_requests, arrival order
        self._answered: set[str] = set()
        self._poller = zmq.Poller()
        self._sockets = {}
        for name in ("iopub", "shell", "stdin"):
            sock = getattr(kc, f"{name}_channel").socket
            self._poller.register(sock, zmq.POLLIN)
            self._sockets[sock] = name

    def pump(self, timeout: float) -> int:
        """Wait up to `timeout` s for messages; file all that are ready. Returns how many."""
        events = dict(self._poller.poll(max(0, int(timeout * 1000))))
        got = 0
        for sock, name in self._sockets.items():
            if not events.get(sock):
                continue
            channel = getattr(self.kc, f"{name}_channel")
            while channel.msg_ready():
                msg = channel.get_msg(timeout=0)
                got += 1
                parent = (msg.get("parent_header") or {}).get("msg_id")
                if name == "iopub":
                    self.iopub.append(msg)
                    self.iopub_by_parent.setdefault(parent, []).append(msg)
                elif name == "shell":
                    if parent:
                        self.shell_by_parent[parent] = msg
                    else:
                        self.shell_unparented.append(msg)
                else:
                    self.stdin.append(msg)
        return got

    def drain(self) -> None:
        while self.pump(0):
            pass

    def wait_for(self, predicate: Callable[[], Any], timeout: float, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
            self.pump(left)

    def reply(self, msg_id: str, timeout: float = REPLY_TIMEOUT) -> dict:
        """The shell reply whose parent is msg_id (whole message)."""
        return self.wait_for(lambda: self.shell_by_parent.get(msg_id), timeout,
                             f"the shell reply to {msg_id}")

    def idle(self, msg_id: str) -> bool:
        return any(m["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
                   for m in self.iopub_by_parent.get(msg_id, ()))

    def wait_iopub(self, predicate: Callable[[dict], bool], timeout: float,
                   what: str = "an iopub message", start: int = 0) -> dict:
        """First iopub message (from index `start` on) satisfying predicate."""
        idx = [start]

        def find():
            while idx[0] < len(self.iopub):
                m = self.iopub[idx[0]]
                idx[0] += 1
                if predicate(m):
                    return m
            return None
        return self.wait_for(find, timeout, what)


def mailbox(kc) -> Mailbox:
    mb = getattr(kc, "_spindle_mailbox", None)
    if mb is None:
        mb = Mailbox(kc)
        kc._spindle_mailbox = mb
    return mb


# ------------------------------------------------------------------ results

@dataclass
class Result:
    """Everything one execute_request produced."""
    msg_id: str
    reply: dict | None = None
    iopub: list[dict] = field(default_factory=list)
    input_requests: list[dict] = field(default_factory=list)
    elapsed: float = 0.0

    # -- reply
    @property
    def content(self) -> dict:
        return self.reply["content"] if self.reply else {}

    @property
    def status(self) -> str | None:
        return self.content.get("status")

    @property
    def execution_count(self):
        return self.content.get("execution_count")

    # -- iopub
    def of_type(self, *types: str) -> list[dict]:
        return [m["content"] for m in self.iopub if m["msg_type"] in types]

    @property
    def streams(self) -> list[tuple[str, str]]:
        return [(c["name"], c["text"]) for c in self.of_type("stream")]

    def stream(self, name: str) -> str:
        return "".join(t for n, t in self.streams if n == name)

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def execute_input(self) -> dict | None:
        found = self.of_type("execute_input")
        return found[0] if found else None

    @property
    def execute_results(self) -> list[dict]:
        return self.of_type("execute_result")

    @property
    def data(self) -> dict | None:
        """data of the (single) execute_result, or None."""
        res = self.execute_results
        return res[0]["data"] if res else None

    @property
    def text(self) -> str | None:
        """text/plain of the execute_result, or None."""
        return (self.data or {}).get("text/plain")

    @property
    def displays(self) -> list[dict]:
        return self.of_type("display_data")

    @property
    def updates(self) -> list[dict]:
        return self.of_type("update_display_data")

    @property
    def clear_outputs(self) -> list[dict]:
        return self.of_type("clear_output")

    @property
    def errors(self) -> list[dict]:
        return self.of_type("error")

    # -- errors, from the reply or iopub
    @property
    def ename(self) -> str:
        if self.status == "error":
            return self.content.get("ename", "") or ""
        return self.errors[0].get("ename", "") if self.errors else ""

    @property
    def evalue(self) -> str:
        if self.status == "error":
            return self.content.get("evalue", "") or ""
        return self.errors[0].get("evalue", "") if self.errors else ""

    @property
    def traceback(self) -> str:
        tb = self.content.get("traceback") or []
        if not tb and self.errors:
            tb = self.errors[0].get("traceback") or []
        return strip_ansi("\n".join(tb))

    @property
    def iopub_traceback(self) -> str:
        return strip_ansi("\n".join("\n".join(e.get("traceback") or []) for e in self.errors))

    def all_text(self) -> str:
        """All text a user would see for this cell (streams, results, errors)."""
        parts = [t for _, t in self.streams]
        for c in self.of_type("execute_result", "display_data", "update_display_data"):
            parts.append(str(c.get("data", {}).get("text/plain", "")))
        for e in self.errors + ([self.content] if self.status == "error" else []):
            parts += [e.get("ename", "") or "", e.get("evalue", "") or ""]
            parts += e.get("traceback") or []
        return strip_ansi("\n".join(parts))

    def summary(self, limit: int = 3000) -> str:
        lines = [f"execute {self.msg_id}: reply={self.content if self.reply else None!r}"]
        for m in self.iopub:
            c = dict(m["content"])
            lines.append(f"  iopub {m['msg_type']}: {json.dumps(c)[:500]}")
        text = "\n".join(lines)
        return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"

    def __repr__(self) -> str:  # readable in assertion messages
        return self.summary()

    __str__ = __repr__

    def assert_ok(self) -> "Result":
        assert self.status == "ok", f"expected status ok:\n{self.summary()}"
        assert not self.errors, f"unexpected iopub error:\n{self.summary()}"
        return self

    def assert_error(self) -> "Result":
        assert self.status == "error", f"expected status error:\n{self.summary()}"
        return self


def collect(kc, msg_id: str, timeout: float = REPLY_TIMEOUT,
            input_replies: Iterable[str] | Callable[[str], str] | None = None) -> Result:
    """Waits (bounded) for the shell reply to msg_id and for iopub status idle with
    that parent; answers input_requests from `input_replies`."""
    mb = mailbox(kc)
    res = Result(msg_id)
    t0 = time.monotonic()
    deadline = t0 + timeout
    answers = iter(input_replies) if input_replies is not None and not callable(input_replies) else None
    while True:
        for req in mb.stdin:
            if (req["parent_header"] or {}).get("msg_id") != msg_id or req["header"]["msg_id"] in mb._answered:
                continue
            mb._answered.add(req["header"]["msg_id"])
            res.input_requests.append(req["content"])
            if callable(input_replies):
                kc.input(input_replies(req["content"].get("prompt", "")))
            elif answers is not None:
                kc.input(next(answers, ""))
        if msg_id in mb.shell_by_parent and mb.idle(msg_id):
            break
        left = deadline - time.monotonic()
        if left <= 0:
            res.reply = mb.shell_by_parent.get(msg_id)
            res.iopub = list(mb.iopub_by_parent.get(msg_id, []))
            raise TimeoutError(f"no complete answer within {timeout:.1f}s;\nso far: {res.summary()}")
        mb.pump(left)
    res.elapsed = time.monotonic() - t0
    res.reply = mb.shell_by_parent[msg_id]
    res.iopub = list(mb.iopub_by_parent.get(msg_id, []))
    return res


def execute(kc, code: str, timeout: float = REPLY_TIMEOUT, input_replies=None, **kw) -> Result:
    """Runs one cell and returns everything it produced (reply + iopub until idle)."""
    if input_replies is not None:
        kw.setdefault("allow_stdin", True)
    msg_id = kc.execute(code, **kw)
    return collect(kc, msg_id, timeout=timeout, input_replies=input_replies)


def request(kc, msg_type: str, content: dict, timeout: float = REPLY_TIMEOUT,
            channel: str = "shell") -> dict:
    """Sends any request on shell (or control) and returns the whole reply message."""
    msg = kc.session.msg(msg_type, content)
    if channel == "shell":
        kc.shell_channel.send(msg)
        return mailbox(kc).reply(msg["header"]["msg_id"], timeout)
    chan = kc.control_channel
    chan.send(msg)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {msg_type} reply on control within {timeout}s")
        reply = chan.get_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply


def shell_reply(kc, msg_id: str, timeout: float = REPLY_TIMEOUT) -> dict:
    return mailbox(kc).reply(msg_id, timeout)


def png_bytes(data: dict) -> bytes:
    raw = data["image/png"]
    return base64.b64decode(raw if isinstance(raw, str) else "".join(raw))

