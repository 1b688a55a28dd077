"""Locked doors (issue 12): kernel threads that cell code cannot break, clear errors for bad
input, private log files, no leftovers, an output limit that cuts at a line, and CurveZMQ.

File checks that need a second local user create one with ``useradd`` and run commands as it
with ``runuser``; without root (or those tools) they are skipped with the reason.
"""
from __future__ import annotations

import getpass
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import zmq

from support.kernel import Kernel, STARTUP_TIMEOUT
from support.messages import collect
from support.processes import end_process

INTRUDER = "spindle-intruder"


# ------------------------------------------------------------------ helpers

def _stream_of(k, msg_id: str, needle: str, timeout: float = 15.0) -> str:
    """Waits (bounded) for a stream message parented by msg_id that contains needle."""
    m = k.mailbox.wait_iopub(
        lambda m: m["msg_type"] == "stream" and m["parent_header"].get("msg_id") == msg_id
        and needle in m["content"]["text"], timeout=timeout, what=f"stream output {needle!r}")
    return m["content"]["text"]


def _assert_alive_and_heard(k, marker: str) -> None:
    """The kernel process lives, computes, and its output still reaches the client."""
    assert k.is_alive(), "the kernel process died\n" + k.diagnostics()
    k.assert_usable()
    res = k.execute(f'System.out.println("{marker}");', timeout=30)
    assert res.status == "ok", res
    assert marker in res.stdout, f"output no longer reaches the client:\n{res}"


def _private_tmp(prefix: str) -> Path:
    """A directory every user can traverse (so a second user's attempts fail only on our modes)."""
    d = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    d.chmod(0o755)
    return d


def _java_opts(**props) -> dict:
    return {"JAVA_TOOL_OPTIONS": " ".join(f"-D{k}={v}" for k, v in props.items())}


@pytest.fixture
def tmp_root():
    d = _private_tmp("spindle-doors-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def intruder():
    """A second local user (created once), or a skip saying why there cannot be one."""
    if os.geteuid() != 0:
        pytest.skip("checks as a second user need root (to useradd and runuser)")
    for tool in ("useradd", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"checks as a second user need {tool}, which is not installed")
    probe = subprocess.run(["id", "-u", INTRUDER], capture_output=True, text=True)
    created = False
    if probe.returncode != 0:
        made = subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", INTRUDER],
                              capture_output=True, text=True, timeout=30)
        if made.returncode != 0:
            pytest.skip(f"cannot create a second user: {made.stderr.strip()}")
        created = True
    yield INTRUDER
    if created and shutil.which("userdel"):
        subprocess.run(["userdel", INTRUDER], capture_output=True, timeout=30)


def _as(user: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True, timeout=30)


# ------------------------------------------------------------------ threads

@pytest.mark.parametrize("code", [
    pytest.param("Thread.getAllStackTraces().keySet().forEach(Thread::interrupt);", id="every-thread"),
    pytest.param("Thread.currentThread().getThreadGroup().getParent().interrupt();", id="parent-group"),
    pytest.param("{ ThreadGroup g = Thread.currentThread().getThreadGroup();\n"
                 "  while (g.getParent() != null) g = g.getParent();\n  g.interrupt(); }", id="root-group"),
])
def test_cell_interrupting_kernel_threads(start_kernel, code):
    k = start_kernel()
    res = k.execute(code, timeout=30)
    assert res.reply is not None, "no reply to the cell that interrupted every thread\n" + k.diagnostics()
    print(f"the interrupting cell's reply: {res.status} {res.ename} {res.evalue}")
    _assert_alive_and_heard(k, "still-heard-after-interrupt-all")
    # and again: the kernel's threads were not merely lucky the first time
    k.execute(code, timeout=30)
    _assert_alive_and_heard(k, "still-heard-twice")


def _interrupt_thread(name: str) -> str:
    return (f'Thread.getAllStackTraces().keySet().stream()'
            f'.filter(t -> t.getName().equals("{name}")).forEach(Thread::interrupt);')


def test_interrupting_iopub_thread_keeps_output(start_kernel):
    k = start_kernel()
    k.execute(_interrupt_thread("spindle-iopub"), timeout=30)
    msg_id = k.kc.execute('System.out.println("iopub-still-talks");')
    _stream_of(k, msg_id, "iopub-still-talks")
    assert collect(k.kc, msg_id, timeout=30).status == "ok"


def test_interrupting_shell_thread_keeps_the_reply(start_kernel):
    k = start_kernel()
    res = k.execute(_interrupt_thread("spindle-shell") + '\nSystem.out.println("printed");\n6 * 7', timeout=30)
    assert res.status == "ok", res
    assert res.text == "42" and "printed" in res.stdout, res
    _assert_alive_and_heard(k, "shell-still-serves")


def test_cell_replacing_standard_streams(start_kernel):
    k = start_kernel()
    res = k.execute("System.setErr(null);", timeout=30)
    assert res.status == "ok", res
    notices = res.stderr.count("[spindle] this cell replaced")
    assert notices == 1 and "System.err" in res.stderr, f"no single notice about System.err:\n{res}"
    # later compiles and their errors still work
    assert k.execute("int later = 20; later + 1", timeout=30).assert_ok().text == "21"
    broken = k.execute("undefinedName + 1", timeout=30)
    assert broken.status == "error" and "undefinedName" in broken.all_text(), broken
    err = k.execute('System.err.println("err-visible");', timeout=30).assert_ok()
    assert "err-visible" in err.stderr, err

    res = k.execute("System.setOut(new PrintStream(new ByteArrayOutputStream()));", timeout=30)
    assert res.status == "ok", res
    assert res.stderr.count("[spindle] this cell replaced") == 1 and "System.out" in res.stderr, res
    out = k.execute('System.out.println("out-visible");', timeout=30).assert_ok()
    assert "out-visible" in out.stdout, f"System.out was not restored:\n{out}"
    assert "[spindle] this cell replaced" not in out.all_text(), "the notice repeats in a cell that replaced nothing"


def test_endless_shutdown_hook_does_not_hold_exit(start_kernel):
    k = start_kernel()
    k.execute("Runtime.getRuntime().addShutdownHook(new Thread(() -> {\n"
              "    while (true) { try { Thread.sleep(1000); } catch (InterruptedException e) { } }\n"
              "}));", timeout=30).assert_ok()
    proc = k.process
    reply = k.request("shutdown_request", {"restart": False}, channel="control", timeout=10)
    assert reply["content"].get("status") == "ok", reply
    t0 = time.monotonic()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("the kernel still runs 15 s after shutdown_reply: a cell's shutdown hook holds its exit")
    took = time.monotonic() - t0
    print(f"kernel exited {took:.2f} s after shutdown_reply (bound 2 s for hooks)")
    assert took < 6.0, f"exit took {took:.1f} s; the hook bound is 2 s"


# ------------------------------------------------------------------ bad input

def _send_raw(k, msg_type: str, content_bytes: bytes) -> str:
    """Sends a correctly signed shell message whose content frame is content_bytes, as is."""
    session = k.kc.session
    header = session.msg_header(msg_type)
    parts = [session.pack(header), b"{}", b"{}", content_bytes]
    sig = session.sign(parts)  # the session's own signer, with the connection's key
    k.kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", sig, *parts])
    return header["msg_id"]


@pytest.mark.parametrize("content, field", [
    pytest.param({"code": 42}, "code", id="code-number"),
    pytest.param({"code": None}, "code", id="code-null"),
    pytest.param({"code": "1 + 1", "silent": "false"}, "silent", id="silent-string"),
    pytest.param({"code": "1 + 1", "store_history": 1}, "store_history", id="store_history-number"),
    pytest.param({"code": "1 + 1", "user_expressions": ["a"]}, "user_expressions", id="user_expressions-array"),
])
def test_execute_request_with_wrong_types(kernel, content, field):
    msg = kernel.kc.session.msg("execute_request", content)
    kernel.kc.shell_channel.send(msg)
    reply = kernel.mailbox.reply(msg["header"]["msg_id"], timeout=30)
    c = reply["content"]
    assert c.get("status") == "error", f"a request with a bad '{field}' was run: {c}"
    assert f"'{field}'" in c.get("evalue", ""), f"the error does not name the field {field!r}: {c}"
    kernel.assert_usable()


@pytest.mark.parametrize("content", [b"[1, 2, 3]", b'"code"', b'{"code": "1 + '])
def test_execute_request_content_not_an_object(kernel, content):
    msg_id = _send_raw(kernel, "execute_request", content)
    reply = kernel.mailbox.reply(msg_id, timeout=15)
    c = reply["content"]
    assert c.get("status") == "error", c
    assert "content" in c.get("evalue", ""), f"the error does not name the content: {c}"
    kernel.assert_usable()


def _kernel_argv(install, connection_file: Path) -> list[str]:
    spec = json.loads((Path(install.env["JUPYTER_DATA_DIR"]) / "kernels" / "spindle" / "kernel.json").read_text())
    return [a.replace("{connection_file}", str(connection_file)) for a in spec["argv"]]


def _connection(**changes) -> dict:
    info = {"transport": "tcp", "ip": "127.0.0.1", "shell_port": 0, "iopub_port": 0, "stdin_port": 0,
            "control_port": 0, "hb_port": 0, "key": uuid.uuid4().hex, "signature_scheme": "hmac-sha256",
            "kernel_name": "spindle"}
    ports = iter(_free_ports(5))
    for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
        info[name] = next(ports)
    for key, value in changes.items():
        if value is _DROP:
            info.pop(key, None)
        else:
            info[key] = value
    return info


_DROP = object()


def _free_ports(n: int) -> list[int]:
    import socket
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


@pytest.mark.parametrize("changes, field", [
    pytest.param({"transport": "ipc", "ip": "/tmp/spindle-doors-ipc"}, "transport", id="transport-ipc"),
    pytest.param({"signature_scheme": _DROP}, "signature_scheme", id="no-signature_scheme"),
    pytest.param({"signature_scheme": "hmac-nonesuch"}, "signature_scheme", id="unknown-signature_scheme"),
    pytest.param({"shell_port": "fifty"}, "shell_port", id="port-string"),
])
def test_unusable_connection_file_exits_with_one_line(spindle_install, tmp_path, changes, field):
    cf = tmp_path / "connection.json"
    cf.write_text(json.dumps(_connection(**changes)))
    proc = subprocess.Popen(_kernel_argv(spindle_install, cf), env=spindle_install.env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        end_process(proc)
        pytest.fail(f"the kernel was still running 20 s after starting on a connection file with a bad '{field}'")
    took = time.monotonic() - t0
    lines = [ln for ln in (err + out).splitlines()
             if ln.strip() and not ln.startswith(("Picked up", "[", "OpenJDK", "WARNING"))]
    assert proc.returncode != 0, f"exit status 0 for a bad '{field}'"
    assert len(lines) == 1, f"expected one line naming {field!r}, got:\n{err}{out}"
    assert field in lines[0] and lines[0].startswith("spindle:"), lines[0]
    print(f"exit {proc.returncode} after {took:.2f} s: {lines[0]}")


# ------------------------------------------------------------------ CurveZMQ

def _curve_support() -> str | None:
    import jupyter_client
    from jupyter_client.manager import KernelManager
    if not zmq.has("curve"):
        return f"pyzmq {zmq.__version__} (libzmq {zmq.zmq_version()}) has no CURVE"
    if not hasattr(KernelManager, "transport_encryption"):
        return f"jupyter_client {jupyter_client.__version__} has no transport_encryption (CurveZMQ)"
    return None


def test_curve_encrypted_kernel_end_to_end(spindle_install, tmp_path):
    why = _curve_support()
    if why:
        pytest.skip(why)
    from jupyter_client.manager import KernelManager
    km = KernelManager(kernel_name="spindle", kernel_spec_manager=spindle_install.ksm,
                       connection_file=str(tmp_path / "connection.json"))
    km.transport_encryption = "required"
    out = open(tmp_path / "kernel.out", "ab")
    kc = None
    try:
        km.start_kernel(env=dict(spindle_install.env), cwd=str(tmp_path), stdout=out, stderr=out,
                        extra_arguments=["--log", str(tmp_path / "kernel.log")])
        info = json.loads((tmp_path / "connection.json").read_text())
        assert info.get("curve_publickey") and info.get("curve_secretkey"), "jupyter_client wrote no curve keys"
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except RuntimeError as exc:
            pytest.fail(f"no reply over CURVE-encrypted sockets: {exc}\n"
                        f"{(tmp_path / 'kernel.out').read_text(errors='replace')[-3000:]}")
        res = collect(kc, kc.execute('System.out.println("over curve"); 6 * 7'), timeout=60)
        assert res.status == "ok" and res.text == "42" and "over curve" in res.stdout, res

        # A client without the CURVE handshake gets nothing: the sockets really are encrypted.
        ctx = zmq.Context()
        try:
            plain = ctx.socket(zmq.DEALER)
            plain.linger = 0
            plain.connect(f"tcp://{info['ip']}:{info['shell_port']}")
            session = kc.session
            msg = session.msg("kernel_info_request", {})
            session.send(plain, msg)
            assert not plain.poll(3000), "a plain (unencrypted) client got an answer from a CURVE kernel"
            plain.close(0)
        finally:
            ctx.term()
    finally:
        if kc is not None:
            kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        end_process(getattr(km.provisioner, "process", None) if km.provisioner else None)
        out.close()


# ------------------------------------------------------------------ files: logs

def _log_files(d: Path) -> list[Path]:
    return sorted(d.glob("kernel-*.log"))


def test_log_is_private_and_not_in_a_shared_path(spindle_install, tmp_root, intruder):
    """The old default was <tmp>/spindle-<user>, used even when another user made it."""
    shared_tmp = tmp_root / "tmp"
    shared_tmp.mkdir()
    shared_tmp.chmod(0o1777)
    state = tmp_root / "state"
    state.mkdir()
    state.chmod(0o755)
    trap = shared_tmp / f"spindle-{getpass.getuser()}"
    made = _as(intruder, "mkdir", "-m", "0777", str(trap))
    assert made.returncode == 0, made.stderr

    k = Kernel(spindle_install, name="private-log", log=False,
               extra_env={**_java_opts(**{"java.io.tmpdir": shared_tmp}), "XDG_STATE_HOME": str(state)})
    try:
        k.start()
        k.execute('java.util.logging.Logger.getLogger("app").warning("cell-secret-4711");').assert_ok()
        assert not list(trap.iterdir()), f"the kernel wrote into a directory another user made: {list(trap.iterdir())}"
        logdir = state / "spindle"
        st = os.lstat(logdir)
        assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid(), st
        assert stat.S_IMODE(st.st_mode) == 0o700, oct(st.st_mode)
        logs = _log_files(logdir)
        assert len(logs) == 1, logs
        fst = os.lstat(logs[0])
        assert stat.S_IMODE(fst.st_mode) == 0o600 and fst.st_uid == os.geteuid(), oct(fst.st_mode)
        text = logs[0].read_text(errors="replace")
        assert "Spindle starting" in text, text[:2000]
        assert "cell-secret-4711" not in text, "a cell's log record landed in the kernel log"
        assert _as(intruder, "cat", str(logs[0])).returncode != 0, "another user can read the kernel log"
        assert _as(intruder, "ls", str(logdir)).returncode != 0, "another user can list the log directory"
    finally:
        k.stop()


def test_log_directory_of_another_user_is_not_used(spindle_install, tmp_root, intruder):
    state = tmp_root / "state"
    state.mkdir()
    state.chmod(0o1777)
    theirs = state / "spindle"
    assert _as(intruder, "mkdir", "-m", "0777", str(theirs)).returncode == 0
    k = Kernel(spindle_install, name="their-log-dir", log=False,
               extra_env={**_java_opts(**{"java.io.tmpdir": tmp_root}), "XDG_STATE_HOME": str(state)})
    try:
        k.start()
        k.assert_usable()
        assert not list(theirs.iterdir()), f"the kernel wrote into another user's directory: {list(theirs.iterdir())}"
        out = k.out_path.read_text(errors="replace")
        assert "not safe" in out and str(theirs) in out, f"no warning on the kernel's stderr:\n{out}"
    finally:
        k.stop()


def test_log_file_symlink_is_not_followed(spindle_install, tmp_root):
    victim = tmp_root / "victim.txt"
    victim.write_text("original\n")
    k = Kernel(spindle_install, name="log-symlink", extra_env={"XDG_STATE_HOME": str(tmp_root / "state")})
    try:
        k.log_path.symlink_to(victim)
        k.start()
        k.assert_usable()
        assert victim.read_text() == "original\n", "the kernel wrote its log through a symbolic link"
        out = k.out_path.read_text(errors="replace")
        assert "symbolic link" in out, f"no warning about the link on the kernel's stderr:\n{out}"
        logs = _log_files(tmp_root / "state" / "spindle")
        assert logs and "Spindle starting" in logs[-1].read_text(), "the log did not go to the default directory"
    finally:
        k.stop()


def test_only_the_newest_logs_are_kept(spindle_install, tmp_root):
    logdir = tmp_root / "state" / "spindle"
    logdir.mkdir(parents=True, mode=0o700)
    old = []
    for i in range(25):  # pids above pid_max: no such process runs
        p = logdir / f"kernel-20200101T0000{i:02d}-{99_000_000 + i}.log"
        p.write_text("old\n")
        os.utime(p, (1_600_000_000 + i, 1_600_000_000 + i))
        old.append(p)
    k = Kernel(spindle_install, name="log-rotation", log=False, extra_env={"XDG_STATE_HOME": str(tmp_root / "state")})
    try:
        k.start()
        logs = _log_files(logdir)
        assert len(logs) <= 20, f"{len(logs)} logs kept"
        mine = [p for p in logs if p.name.endswith(f"-{k.pid}.log")]
        assert mine, "the running kernel's own log is missing"
        kept_old = {p.name for p in logs} & {p.name for p in old}
        assert kept_old == {p.name for p in old[-19:]}, "not the newest old logs were kept"
    finally:
        k.stop()


@pytest.mark.parametrize("code, needle", [
    pytest.param('java.util.logging.Logger.getLogger("app").info("jul-record-123");', "jul-record-123", id="jul"),
    pytest.param('System.getLogger("app2").log(System.Logger.Level.WARNING, "system-logger-456");',
                 "system-logger-456", id="System.Logger"),
])
def test_cell_logging_goes_to_the_cell(kernel, code, needle):
    res = kernel.execute(code, timeout=30).assert_ok()
    assert needle in res.stderr, f"the cell's log record is not in its stderr:\n{res}"
    assert needle not in kernel.log_text(), "the cell's log record went to the kernel log"


# ------------------------------------------------------------------ files: leftovers

def test_shared_memory_of_a_killed_kernel_is_removed(spindle_install, tmp_root):
    opts = _java_opts(**{"java.io.tmpdir": tmp_root})
    first = Kernel(spindle_install, name="shm-killed", extra_env=opts)
    try:
        first.start()
        first.execute("var shared = SharedArray.ofLength(16); shared.set(0, 7); shared.get(0)").assert_ok()
        dirs = list(tmp_root.glob("spindle-shm-*"))
        assert len(dirs) == 1, dirs
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        assert dirs[0].exists(), "nothing was left behind: the test proves nothing"
    finally:
        first.stop()
    second = Kernel(spindle_install, name="shm-next", extra_env=opts)
    try:
        second.start()
        assert not dirs[0].exists(), f"the next kernel left the dead kernel's shared memory: {dirs[0]}"
        second.assert_usable()
    finally:
        second.stop()


def _python_leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith("spindle-py"))


def test_python_cell_files_removed_when_interpreter_missing(spindle_install, tmp_root):
    k = Kernel(spindle_install, name="py-missing", extra_env=_java_opts(**{"java.io.tmpdir": tmp_root}))
    try:
        k.start()
        res = k.execute("%%python --python /nonexistent/python3\nprint(1)", timeout=30)
        assert res.status == "error", res
        assert _python_leftovers(tmp_root) == [], _python_leftovers(tmp_root)
    finally:
        k.stop()


def test_python_cell_files_removed_when_interrupted(spindle_install, tmp_root):
    k = Kernel(spindle_install, name="py-interrupted", extra_env=_java_opts(**{"java.io.tmpdir": tmp_root}))
    try:
        k.start()
        msg_id = k.kc.execute('%%python\nimport time\nprint("started", flush=True)\ntime.sleep(60)')
        _stream_of(k, msg_id, "started", timeout=60)
        k.km.interrupt_kernel()
        res = collect(k.kc, msg_id, timeout=20)
        assert res.status == "error", res
        assert _python_leftovers(tmp_root) == [], _python_leftovers(tmp_root)
    finally:
        k.stop()


def _mount_tiny_tmpfs(where: Path) -> str | None:
    """Mounts a 1 MB tmpfs at where; returns why not, or None."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return "mounting a tmpfs needs root and mount"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", str(where)],
                       capture_output=True, text=True, timeout=30)
    return None if r.returncode == 0 else f"cannot mount a tmpfs: {r.stderr.strip() or r.returncode}"


def test_shared_memory_on_a_full_file_system_fails_at_creation(spindle_install, tmp_root):
    tiny = tmp_root / "tiny"
    tiny.mkdir()
    why = _mount_tiny_tmpfs(tiny)
    length = 1_000_000  # 8 MB
    if why:
        free = shutil.disk_usage(tempfile.gettempdir()).free
        if free >= 8 * (2**31 - 1):
            pytest.skip(f"{why}; and {tempfile.gettempdir()} has {free / 2**30:.0f} GB free, more than"
                        " the largest shared array, so the file system cannot be filled")
        length = 2**31 - 1
        tiny = Path(tempfile.gettempdir())
    k = Kernel(spindle_install, name="shm-full", extra_env=_java_opts(**{"java.io.tmpdir": tiny}))
    try:
        k.start()
        res = k.execute(f"var big = SharedArray.ofLength({length});\n"
                        "for (int i = 0; i < big.length(); i++) big.set(i, i);", timeout=120)
        assert res.status == "error", res
        assert "InternalError" not in res.ename + res.evalue, f"failed at a write, not at creation:\n{res}"
        assert re.search(r"shared memory", res.evalue) and re.search(r"free|space", res.evalue), res
        k.assert_usable()
    finally:
        k.stop()
        if not why:
            subprocess.run(["umount", str(tiny)], capture_output=True, timeout=30)


# ------------------------------------------------------------------ output limit

LIMIT = 1000
_LINE = re.compile(r"(line|late) \d{3}: [xy]{20}")


@pytest.fixture(scope="module")
def _limited(spindle_install):
    k = Kernel(spindle_install, name="output-limit", extra_env=_java_opts(**{"spindle.outputLimit": LIMIT}))
    k.start()
    yield k
    k.stop()


def _shown_lines(text: str) -> list[str]:
    assert text.endswith("\n"), f"the cut is not at a line boundary: {text[-60:]!r}"
    lines = text.splitlines()
    bad = [ln for ln in lines if not _LINE.fullmatch(ln)]
    assert not bad, f"partial lines were shown: {bad}"
    return lines


def test_output_limit_cuts_at_a_line_boundary(_limited):
    k = _limited
    k.mailbox.drain()
    res = k.execute('for (int i = 0; i < 100; i++) System.out.println(String.format("line %03d: %s", i, "x".repeat(20)));',
                    timeout=30).assert_ok()
    shown = _shown_lines(res.stdout)
    m = re.search(r"([\d,]+) more lines?", res.stderr)
    assert m, f"no 'more lines' notice:\n{res}"
    assert int(m.group(1).replace(",", "")) == 100 - len(shown), (len(shown), res.stderr)


def test_output_limit_notice_for_output_after_the_reply(_limited):
    k = _limited
    k.mailbox.drain()
    first = k.execute("var go = new CountDownLatch(1);\n"
                      "var late = new Thread(() -> {\n"
                      "    try { go.await(); } catch (InterruptedException e) { return; }\n"
                      '    for (int i = 0; i < 100; i++) System.out.println(String.format("late %03d: %s", i, "y".repeat(20)));\n'
                      "});\nlate.start();", timeout=30).assert_ok()
    k.execute("go.countDown(); late.join();", timeout=30).assert_ok()
    notice = _stream_of(k, first.msg_id, " more line", timeout=15)
    m = re.search(r"([\d,]+) more lines?", notice)
    assert m, notice
    late_out = "".join(msg["content"]["text"] for msg in k.mailbox.iopub_by_parent.get(first.msg_id, [])
                       if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout")
    shown = _shown_lines(late_out)
    assert int(m.group(1).replace(",", "")) == 100 - len(shown), (len(shown), notice)
