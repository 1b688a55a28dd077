#!/usr/bin/env python3
"""Spindle kernel benchmark, run by `install/spindle bench`.

Starts the spindle kernel and, for comparison, ipykernel (the venv's python3
kernel) the same way in the same run: through jupyter_client's KernelManager,
from kernelspecs installed into one isolated Jupyter data dir. Prints a table
(Markdown) of

    metric | spindle | ipykernel | ratio (spindle/ipykernel) | target | met?

and writes every sample to tests/artifacts/bench.json. It is a measurement, not
a test: the exit code does not depend on the targets.

Sections are functions in BENCHMARKS; each takes the Context and returns rows,
and gets a table of its own. A section compared with something other than the
kernels names its columns (`columns` attribute): the concurrency section
(tests/bench/concurrency_bench.py: child JVMs, pools, queues, CPU-bound
speed-up, idle memory) compares with CPython's multiprocessing / threading.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from support import jupyter_env  # noqa: E402 - tests/support/jupyter_env.py
from support.processes import rss_mb  # noqa: E402

SPINDLE = "spindle"
IPYKERNEL = "python3"
LABELS = {SPINDLE: "spindle", IPYKERNEL: "ipykernel"}
START_TIMEOUT = 90.0
REPLY_TIMEOUT = 30.0


# ----------------------------------------------------------------- results

@dataclass
class Row:
    """One metric: samples per kernel, summarised by `agg` (median by default)."""
    metric: str
    unit: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    target: float | None = None          # met when value <= target
    agg: str = "median"
    note: str = ""
    higher: bool = False                 # met when value >= target instead

    def value(self, kernel: str) -> float | None:
        xs = self.samples.get(kernel)
        if not xs:
            return None
        if self.agg == "median":
            return statistics.median(xs)
        if self.agg == "min":
            return min(xs)
        if self.agg == "max":
            return max(xs)
        raise ValueError(self.agg)


@dataclass
class Context:
    args: argparse.Namespace
    env: dict
    work: Path
    kernels: list[str]
    spindle_spec: dict
    log: Callable[[str], None]


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    if unit == "ms":
        return f"{v:.2f} ms"
    if unit == "MB":
        return f"{v:.1f} MB"
    if unit == "s":
        return f"{v:.3f} s"
    if unit in ("µs", "KB"):
        return f"{v:.1f} {unit}"
    if unit == "x":
        return f"{v:.2f}x"
    return f"{v:g} {unit}".strip()


# ------------------------------------------------------------ kernel handle

class BenchKernel:
    """A kernel started through jupyter_client, with a poller over shell+iopub."""

    def __init__(self, ctx: Context, name: str, tag: str):
        from jupyter_client import KernelManager
        self.ctx = ctx
        self.name = name
        self.dir = ctx.work / "runs" / f"{LABELS[name]}-{tag}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.km = KernelManager(kernel_name=name, connection_file=str(self.dir / "connection.json"))
        self.km.shutdown_wait_time = 10
        self.kc = None
        self._out = None
        self.shell: dict[str, dict] = {}
        self.iopub: dict[str, list[dict]] = {}

    # -- lifecycle
    def start(self) -> None:
        self._out = open(self.dir / "kernel.out", "ab")
        self.km.start_kernel(env=dict(self.ctx.env), cwd=str(self.dir),
                             stdout=self._out, stderr=self._out)
        self._connect()

    def _connect(self) -> None:
        import zmq
        if self.kc is not None:
            self.kc.stop_channels()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.poller = zmq.Poller()
        self.poller.register(self.kc.shell_channel.socket, zmq.POLLIN)
        self.poller.register(self.kc.iopub_channel.socket, zmq.POLLIN)

    @property
    def process(self):
        return getattr(self.km.provisioner, "process", None)

    def stop(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        finally:
            try:
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - best effort; kill below
                pass
            proc = self.process
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)
            try:
                self.km.cleanup_resources()
            except Exception:  # noqa: BLE001
                pass
            if self._out is not None:
                self._out.close()
                self._out = None

    def diagnostics(self) -> str:
        p = self.dir / "kernel.out"
        return p.read_text(errors="replace")[-3000:] if p.exists() else ""

    # -- messages
    def _pump(self, timeout: float) -> None:
        events = dict(self.poller.poll(max(0, int(timeout * 1000))))
        for chan, store in ((self.kc.shell_channel, "shell"), (self.kc.iopub_channel, "iopub")):
            if not events.get(chan.socket):
                continue
            while chan.msg_ready():
                msg = chan.get_msg(timeout=0)
                parent = (msg.get("parent_header") or {}).get("msg_id")
                if store == "shell":
                    self.shell[parent] = msg
                else:
                    self.iopub.setdefault(parent, []).append(msg)

    def wait(self, cond: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.perf_counter() + timeout
        while not cond():
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{LABELS[self.name]}: no {what} within {timeout:.0f}s\n"
                                   f"{self.diagnostics()}")
            self._pump(left)

    def has_iopub(self, msg_id: str, msg_type: str, state: str | None = None) -> bool:
        for m in self.iopub.get(msg_id, ()):
            if m["msg_type"] == msg_type and (state is None or m["content"].get("execution_state") == state):
                return True
        return False

    def kernel_info(self, timeout: float = REPLY_TIMEOUT) -> dict:
        mid = self.kc.kernel_info()
        self.wait(lambda: mid in self.shell, timeout, "kernel_info_reply")
        return self.shell.pop(mid)

    def await_iopub(self, timeout: float = REPLY_TIMEOUT, nudge: float = 0.05) -> None:
        """Makes sure iopub is subscribed before the first execute, as frontends do
        (jupyter_server 'nudges' with kernel_info until iopub delivers): a SUB socket
        misses what is published before its subscription reaches the kernel."""
        deadline = time.perf_counter() + timeout
        sent: list[str] = []
        while True:
            if any(p in self.iopub for p in sent) or None in self.iopub:
                break
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{LABELS[self.name]}: iopub silent for {timeout:.0f}s\n"
                                   f"{self.diagnostics()}")
            sent.append(self.kc.kernel_info())
            step = time.perf_counter() + nudge
            while time.perf_counter() < step and not (any(p in self.iopub for p in sent) or None in self.iopub):
                self._pump(step - time.perf_counter())
        # Settle the nudges: their replies and idle statuses, then forget them.
        self.wait(lambda: all(m in self.shell for m in sent), timeout, "kernel_info replies")
        for m in sent:
            self.shell.pop(m, None)
        self.iopub.clear()

    def execute(self, code: str, timeout: float = REPLY_TIMEOUT) -> tuple[float, float]:
        """Runs code; returns (s to the execute_result, s to reply + idle)."""
        t0 = time.perf_counter()
        mid = self.kc.execute(code)
        self.wait(lambda: self.has_iopub(mid, "execute_result") or
                  (mid in self.shell and self.has_iopub(mid, "status", "idle")), timeout,
                  f"result of {code!r}")
        t_result = time.perf_counter() - t0
        self.wait(lambda: mid in self.shell and self.has_iopub(mid, "status", "idle"), timeout,
                  f"reply to {code!r}")
        t_done = time.perf_counter() - t0
        reply = self.shell.pop(mid)
        msgs = self.iopub.pop(mid, [])
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"{LABELS[self.name]}: {code!r} failed: {reply['content']}")
        if not any(m["msg_type"] == "execute_result" for m in msgs):
            raise RuntimeError(f"{LABELS[self.name]}: {code!r} gave no execute_result")
        return t_result, t_done


# ------------------------------------------------------------ /proc helpers



def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as f:
                    kids = [int(x) for x in f.read().split()]
            except OSError:
                kids = []
            out += kids
            todo += kids
    return out


def tree_rss_mb(pid: int) -> float:
    total = 0.0
    for p in [pid] + descendants(pid):
        try:
            total += rss_mb(p)
        except (OSError, RuntimeError):
            pass
    return total


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def wait_exit(proc, timeout: float) -> float | None:
    """Blocks in waitpid (in a thread, so the exit is seen at once) up to timeout;
    returns perf_counter() at exit, or None."""
    done: list[float] = []

    def waiter():
        try:
            proc.wait()
            done.append(time.perf_counter())
        except Exception:  # noqa: BLE001
            pass
    th = threading.Thread(target=waiter, daemon=True)
    th.start()
    th.join(timeout)
    return done[0] if done else None


# --------------------------------------------------------------- section 1

def lifecycle(ctx: Context) -> list[Row]:
    """Start, first result, round trips, idle RSS, restart, shutdown."""
    a = ctx.args
    rows = {
        "info": Row("start → kernel_info_reply", "s", target=0.30),
        "first": Row("start → first result (`1 + 1`)", "s", target=1.5),
        "rtt": Row(f"`1 + 1` round trip p50 ({a.executes} runs)", "ms", target=15.0),
        "rtt90": Row(f"`1 + 1` round trip p90 ({a.executes} runs)", "ms"),
        "rss": Row(f"idle RSS, kernel process (after {a.idle:g} s idle)", "MB", target=130.0),
        "rss_tree": Row("idle RSS, kernel process + children", "MB", target=130.0),
        "restart": Row("restart → kernel_info_reply", "s", target=0.8),
        "shutdown": Row("shutdown (request → process exit)", "s", target=0.3),
    }
    for rep in range(a.reps):
        for name in ctx.kernels:
            ctx.log(f"  {LABELS[name]}: run {rep + 1}/{a.reps}")
            k = BenchKernel(ctx, name, f"{rep}")
            try:
                t0 = time.perf_counter()
                k.start()
                k.kernel_info(START_TIMEOUT)
                rows["info"].samples.setdefault(name, []).append(time.perf_counter() - t0)
                k.await_iopub(START_TIMEOUT)
                t_send = time.perf_counter()
                t_result, _ = k.execute("1 + 1", START_TIMEOUT)
                rows["first"].samples.setdefault(name, []).append(t_send - t0 + t_result)

                if rep == 0:
                    for _ in range(a.warmup):
                        k.execute("1 + 1")
                    times = sorted(k.execute("1 + 1")[1] * 1000 for _ in range(a.executes))
                    rows["rtt"].samples[name] = [statistics.median(times)]
                    rows["rtt90"].samples[name] = [times[int(0.9 * (len(times) - 1))]]
                    # A short idle, as after a user ran a few cells, then read /proc.
                    idle_end = time.perf_counter() + a.idle
                    while time.perf_counter() < idle_end:
                        k._pump(idle_end - time.perf_counter())
                    pid = k.process.pid
                    rows["rss"].samples[name] = [rss_mb(pid)]
                    rows["rss_tree"].samples[name] = [tree_rss_mb(pid)]

                t0 = time.perf_counter()
                k.km.restart_kernel(now=False)
                k._connect()
                k.kernel_info(START_TIMEOUT)
                rows["restart"].samples.setdefault(name, []).append(time.perf_counter() - t0)
                # The restarted kernel is ready; shut it down as a frontend does.
                k.await_iopub(START_TIMEOUT)
                k.execute("1 + 1", START_TIMEOUT)
                proc = k.process
                t0 = time.perf_counter()
                k.kc.shutdown()
                t_exit = wait_exit(proc, 30)
                if t_exit is None:
                    ctx.log(f"  {LABELS[name]}: did not exit within 30 s of shutdown_request")
                    rows["shutdown"].note = "a kernel did not exit within 30 s"
                else:
                    rows["shutdown"].samples.setdefault(name, []).append(t_exit - t0)
            finally:
                k.stop()
    return list(rows.values())


# --------------------------------------------------------------- section 2

def concurrency(ctx: Context) -> list[Row]:
    """Child JVMs, process pool, shared queue, CPU-bound speed-up, idle RSS (vs CPython multiprocessing)."""
    import concurrency_bench  # tests/bench/concurrency_bench.py, next to this file
    return concurrency_bench.run(ctx, sys.modules[__name__])


# A section whose second column is not a kernel names its columns (default: the kernels).
CPYTHON = "cpython"
COLUMN_LABELS = {**LABELS, CPYTHON: "CPython"}
concurrency.columns = [SPINDLE, CPYTHON]


# --------------------------------------------------------------- section 3

def lab_start(ctx: Context) -> list[Row]:
    """Second `install/spindle lab` with nothing changed → JupyterLab URL (vs `jupyter lab` alone)."""
    import lab_bench  # tests/bench/lab_bench.py, next to this file
    return lab_bench.run(ctx, sys.modules[__name__])


JUPYTERLAB = "jupyterlab"
COLUMN_LABELS[JUPYTERLAB] = "`jupyter lab` alone"
lab_start.columns = [SPINDLE, JUPYTERLAB]

# --------------------------------------------------------------- section 4

def maven(ctx: Context) -> list[Row]:
    """`%maven` of an artifact already in the local repository, and the cells after it."""
    import maven_bench  # tests/bench/maven_bench.py, next to this file
    return maven_bench.run(ctx, sys.modules[__name__])


MAVEN_YARDSTICK = "yardstick"
COLUMN_LABELS[MAVEN_YARDSTICK] = "yardstick (in the metric)"
maven.columns = [SPINDLE, MAVEN_YARDSTICK]

# --------------------------------------------------------------- section 5

def long_session(ctx: Context) -> list[Row]:
    """1,000 edited reruns and 1,000 other cells: heap growth, rerun and round-trip ratios (late / fresh)."""
    import long_session_bench  # tests/bench/long_session_bench.py, next to this file
    return long_session_bench.run(ctx, sys.modules[__name__])


long_session.columns = [SPINDLE]

# --------------------------------------------------------------- section 6

def cells(ctx: Context) -> list[Row]:
    """What a cell costs beyond what it runs: `1 + 1`, 10 declarations, 10 statements (vs ipykernel)."""
    import cell_bench  # tests/bench/cell_bench.py, next to this file
    return cell_bench.run(ctx, sys.modules[__name__])

# Benchmark sections, run in order. Later sections append their functions here.
BENCHMARKS: list[Callable[[Context], list[Row]]] = [lifecycle, concurrency, lab_start, cells, maven, long_session]


# ------------------------------------------------------------------- setup

def setup(args, log) -> Context:
    work = Path(tempfile.mkdtemp(prefix="spindle-bench-"))
    env = jupyter_env.isolated_env(work)
    java = args.java or jupyter_env.default_java()
    kernels = [k for k in args.kernels.split(",") if k]
    unknown = set(kernels) - set(LABELS)
    if unknown:
        raise SystemExit(f"unknown kernels {sorted(unknown)}; choose from {sorted(LABELS)}")
    spec: dict = {}
    if SPINDLE in kernels:
        log(f"installing the spindle kernelspec (java: {java}) into {env['JUPYTER_DATA_DIR']}")
        kernel_dir = jupyter_env.install_kernel(env, java)
        spec = json.loads((Path(kernel_dir) / "kernel.json").read_text())
        log("kernel argv: " + " ".join(spec["argv"]))
    if IPYKERNEL in kernels:
        proc = subprocess.run([sys.executable, "-m", "ipykernel", "install", "--user",
                               "--name", IPYKERNEL], env=env, capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            raise SystemExit(f"could not install the ipykernel kernelspec:\n{proc.stderr}")
    # This process's jupyter_client must see the isolated dirs too.
    os.environ.clear()
    os.environ.update(env)
    return Context(args=args, env=env, work=work, kernels=kernels, spindle_spec=spec, log=log)


def render(rows: list[Row], kernels: list[str]) -> str:
    head = ["metric"] + [COLUMN_LABELS[k] for k in kernels]
    others = [k for k in kernels if k != SPINDLE]
    both = SPINDLE in kernels and len(others) == 1
    if both:
        head.append(f"ratio (spindle/{COLUMN_LABELS[others[0]]})")
    head += ["target", "met?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        cells = [r.metric] + [fmt(r.value(k), r.unit) for k in kernels]
        s, p = r.value(SPINDLE), (r.value(others[0]) if both else None)
        if both:
            cells.append(f"{s / p:.2f}" if s is not None and p else "-")
        cells.append(f"{'≥' if r.higher else '≤'} {fmt(r.target, r.unit)}" if r.target is not None else "-")
        met = r.target is not None and s is not None and (s >= r.target if r.higher else s <= r.target)
        cells.append("-" if r.target is None or s is None else ("yes" if met else "NO"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--java", help="java for the spindle kernel (default: $JAVA_HOME/bin/java or java on PATH)")
    ap.add_argument("--reps", type=int, default=5, help="kernel starts per kernel (default 5)")
    ap.add_argument("--executes", type=int, default=200, help="timed `1 + 1` round trips (default 200)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed `1 + 1` runs first (default 20)")
    ap.add_argument("--idle", type=float, default=2.0, help="idle seconds before reading RSS (default 2)")
    ap.add_argument("--kernels", default=f"{SPINDLE},{IPYKERNEL}",
                    help="comma-separated kernelspec names (default spindle,python3)")
    ap.add_argument("--json", default=str(TESTS / "artifacts" / "bench.json"),
                    help="where to write all samples (default tests/artifacts/bench.json)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work dir (kernel output)")
    ap.add_argument("--sections", default=",".join(b.__name__ for b in BENCHMARKS),
                    help="comma-separated sections to run (default: all, "
                         + ", ".join(b.__name__ for b in BENCHMARKS) + ")")
    args = ap.parse_args(argv)
    names = [n for n in args.sections.split(",") if n]
    unknown_sections = set(names) - {b.__name__ for b in BENCHMARKS}
    if unknown_sections:
        ap.error(f"unknown sections {sorted(unknown_sections)}")

    def log(msg: str) -> None:
        print(f"bench: {msg}", file=sys.stderr, flush=True)

    ctx = setup(args, log)
    load_before = loadavg()
    rows: list[Row] = []
    sections: list[tuple[str, list[str], list[Row]]] = []
    try:
        for bench in (b for b in BENCHMARKS if b.__name__ in names):
            log(f"{bench.__name__}: {(bench.__doc__ or '').strip()}")
            got = bench(ctx)
            rows += got
            sections.append((bench.__name__, getattr(bench, "columns", ctx.kernels), got))
    finally:
        if not args.keep:
            import shutil
            shutil.rmtree(ctx.work, ignore_errors=True)
        else:
            log(f"work dir kept: {ctx.work}")

    argv = ctx.spindle_spec.get("argv", [])
    jv_line, cds = "-", False
    if argv:
        jv = subprocess.run([argv[0], "-version"], capture_output=True, text=True, timeout=60).stderr
        jv_line = next((ln for ln in jv.splitlines() if "version" in ln), jv.strip()).strip()
        cds = any(x.startswith("-XX:SharedArchiveFile=") for x in argv)
    for _name, cols, got in sections:
        if got:
            print()
            print(render(got, cols))
    print()
    print(f"Medians of {args.reps} kernel starts; round trips and RSS from the first start. "
          f"spindle on {jv_line} (CDS archive: {'yes' if cds else 'no'}); "
          f"ipykernel on Python {platform.python_version()}; "
          f"{os.cpu_count()} CPUs, {platform.machine()}, Linux {platform.release()}; "
          f"load average {load_before} before, {loadavg()} after (other work on the machine "
          f"skews every number).")
    for r in rows:
        if r.note:
            print(f"note: {r.metric}: {r.note}")

    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "java": jv_line, "cds": cds, "argv": argv,
        "python": platform.python_version(), "reps": args.reps, "executes": args.executes,
        "rows": [{"section": name, "metric": r.metric, "unit": r.unit, "target": r.target,
                  "higher_is_better": r.higher, "agg": r.agg,
                  "samples": {COLUMN_LABELS[k]: v for k, v in r.samples.items()},
                  "value": {COLUMN_LABELS[k]: r.value(k) for k in cols}, "note": r.note}
                 for name, cols, got in sections for r in got],
    }, indent=2))
    log(f"samples written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
