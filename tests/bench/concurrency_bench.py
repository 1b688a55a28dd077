#!/usr/bin/env python3
"""Concurrency section of the spindle benchmark: child JVMs, pools, queues,
CPU-bound speed-up and idle memory, with CPython's multiprocessing / threading
measured the same way in the same run.

Called from kernel_bench.py (its BENCHMARKS list) as `run(ctx, kb)`, where kb
is the kernel_bench module (Row, BenchKernel, ...). Runs on its own too:

    python tests/bench/concurrency_bench.py [kernel_bench options]

Spindle numbers are taken inside the cells with System.nanoTime and printed on
stdout as `@@bench {json}` lines; CPython numbers come from a script run with
this interpreter (`python3`, one subprocess per measurement), before the
kernel starts so the two never share the CPUs.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

CELL_TIMEOUT = 180.0
MARK = "@@bench "

# Sizes. The whole section stays well under ~3 minutes on 2 cores.
STARTS = 15          # timed process starts per kind
START_WARMUP = 3     # untimed ones first
POOL_ITEMS = 1000
POOL_TOTAL = 450     # maps on one new pool, all timed: the child JVMs' JIT needs ~300 to settle
POOL_MAPS = 30       # the first and the last this many are reported
POOL_SUBMITS = 400   # timed submit(task).get() round trips (after a quarter as many untimed)
QUEUE_N = 10000      # timed round trips (their speed drifts with the JIT: take many)
QUEUE_WARMUP = 2000  # untimed ones first
CPU_REPS = 3         # repetitions of sequential / 2 threads / 2 processes (best counts)
IDLE_THREADS = 100
ARCHIVE_WAIT = 60.0  # s to wait for the child CDS archive
QUIET_WAIT = 10.0    # s to wait for other work to calm down before the CPU-bound runs
QUIET_BELOW = 0.2    # CPUs used by other processes that count as quiet


# ------------------------------------------------------------------ spindle

# Methods shared by the measurement cells. Everything timed runs inside a
# method (compiled once, JIT-able), never as top-level cell statements.
JAVA_SETUP = r'''
String jlong(long[] xs) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < xs.length; i++) { if (i > 0) b.append(','); b.append(xs[i]); }
    return b.append(']').toString();
}

void emit(String json) { System.out.println("@@bench " + json); System.out.flush(); }

/** The CPU-bound unit: a dependent multiply/xor chain the JIT cannot drop or vectorize. */
long spin(long n) {
    long s = 1;
    for (long i = 0; i < n; i++) s = (s * 6364136223846793005L) ^ i;
    return s;
}

long rssKb(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    return -1;
}

long cpuNs(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
}

List<ProcessHandle> childJvms() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> a.length > 0
            && a[a.length - 1].equals("dev.spindle.child.ChildMain")).orElse(false))
        .toList();
}

/** Waits until exactly n child JVMs exist (the spares) and their CPU time stands still
 *  for three 30 ms looks: they are started and blocked reading their stdin. Their pids
 *  (empty if that did not happen in time). */
List<Long> idleSpares(int n, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
        List<ProcessHandle> kids = childJvms();
        if (kids.size() == n) {
            long[] c = kids.stream().mapToLong(p -> cpuNs(p)).toArray();
            boolean still = Arrays.stream(c).allMatch(x -> x >= 0);
            for (int i = 0; i < 3 && still; i++) {
                Thread.sleep(30);
                long[] c2 = kids.stream().mapToLong(p -> cpuNs(p)).toArray();
                still = Arrays.equals(c, c2) && kids.stream().allMatch(ProcessHandle::isAlive);
                c = c2;
            }
            if (still) return kids.stream().map(ProcessHandle::pid).toList();
        } else {
            Thread.sleep(10);
        }
    }
    return List.of();
}

/** The one idle spare's pid, or -1 (see idleSpares). */
long idleSpare(long timeoutMs) throws InterruptedException {
    List<Long> s = idleSpares(1, timeoutMs);
    return s.isEmpty() ? -1 : s.get(0);
}

/** Turns spares on and makes sure n are up and idle: runs n trivial processes at once (the
 *  kernel keeps as many spares as processes ran at once; after each start it starts the
 *  spares once that process is done), then waits for the spares. Their pids (see idleSpares). */
List<Long> primeSpares(int n) throws InterruptedException {
    Workers.keepSpareProcess(true);
    List<Worker<Void>> ws = new ArrayList<>();
    for (int i = 0; i < n; i++) ws.add(Workers.process("prime" + i, () -> {}));
    for (Worker<Void> w : ws) w.start();
    for (Worker<Void> w : ws) w.join();
    return idleSpares(n, 20000);
}

/** primeSpares(1): the spare's pid, or -1. */
long primeSpare() throws InterruptedException {
    List<Long> s = primeSpares(1);
    return s.isEmpty() ? -1 : s.get(0);
}

/** The child CDS archive path, computed as ChildArchive.pathFor does: $XDG_CACHE_HOME, else
 *  $HOME/.cache (the kernel's HOME is the bench's isolated one), else user.home's. */
String childArchive() throws Exception {
    Path jar = Path.of(Workers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String cache = System.getenv("XDG_CACHE_HOME");
    String home = System.getenv("HOME");
    Path base = cache != null && !cache.isEmpty() ? Path.of(cache)
        : Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".cache");
    long stamp = Files.getLastModifiedTime(jar).toMillis() ^ Files.size(jar);
    String key = Integer.toHexString((System.getProperty("java.home") + Runtime.version() + jar + stamp).hashCode());
    return base.resolve("spindle").resolve("child-" + Runtime.version().feature() + "-" + key + ".jsa").toString();
}

String jstrs(List<String> xs) {
    return xs.stream().map(x -> "\"" + x.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(java.util.stream.Collectors.joining(",", "[", "]"));
}

/** The .jsa files a started child JVM has mapped (read while it waits on a queue). */
String childMaps() throws Exception {
    SharedQueue<Integer> gate = new SharedQueue<>();
    SharedQueue<Integer> ready = new SharedQueue<>();
    Worker<Void> w = Workers.process("maps", () -> { ready.put(1); gate.get(); });
    w.start();
    ready.get();
    List<String> jsa = Files.readAllLines(Path.of("/proc/" + w.pid() + "/maps")).stream()
        .filter(l -> l.endsWith(".jsa")).map(l -> l.substring(l.indexOf('/'))).distinct().toList();
    List<String> args = ProcessHandle.of(w.pid()).flatMap(p -> p.info().arguments()).map(List::of).orElse(List.of());
    gate.put(0);
    w.join();
    return "{\"mapped\":" + jstrs(jsa) + ",\"args\":" + jstrs(args) + "}";
}

/** Process start+join of a trivial task (it returns System.nanoTime(), so we also learn when
 *  the task body ran: CLOCK_MONOTONIC is shared by all processes). spare: each start finds an
 *  idle spare JVM up (waits for it untimed); else keepSpareProcess(false), a new JVM each. */
String starts(boolean spare, int warm, int n) throws InterruptedException {
    Workers.keepSpareProcess(false);
    if (spare) primeSpare();
    long[] ns = new long[n], taskNs = new long[n], waitNs = new long[n];
    int hits = 0, bad = 0;
    for (int i = -warm; i < n; i++) {
        long sp = -1;
        long tw = System.nanoTime();
        if (spare) sp = idleSpare(20000);
        long waited = System.nanoTime() - tw;
        Worker<Long> w = Workers.process((spare ? "spare" : "cold") + i, () -> System.nanoTime());
        long t0 = System.nanoTime();
        w.start();
        w.join();
        long dt = System.nanoTime() - t0;
        if (w.exitCode() == null || w.exitCode() != 0) bad++;
        if (i < 0) continue;
        ns[i] = dt;
        taskNs[i] = w.result() - t0;
        waitNs[i] = waited;
        if (sp > 0 && w.pid() == sp) hits++;
    }
    Workers.keepSpareProcess(false);
    return "{\"ns\":" + jlong(ns) + ",\"task_ns\":" + jlong(taskNs) + ",\"wait_ns\":" + jlong(waitNs)
        + ",\"hits\":" + hits + ",\"bad\":" + bad + "}";
}

String poolMap(int items, int n, int submits) throws Exception {
    List<Integer> xs = java.util.stream.IntStream.range(0, items).boxed().toList();
    long[] ns = new long[n], submitNs = new long[submits];
    long check = 0;
    try (Pool pool = Pools.processes(2)) {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            List<Integer> out = pool.map(x -> x + 1, xs);
            ns[i] = System.nanoTime() - t0;
            check += out.get(items - 1);
        }
        // One task's round trip through the warm pool: what each map chunk pays at least.
        for (int i = -submits / 4; i < submits; i++) {
            long t0 = System.nanoTime();
            check += pool.submit((Task<Integer>) () -> 1).get();
            long dt = System.nanoTime() - t0;
            if (i >= 0) submitNs[i] = dt;
        }
    }
    return "{\"map_ns\":" + jlong(ns) + ",\"submit_ns\":" + jlong(submitNs) + ",\"check\":" + check + "}";
}

String queueRoundTrips(int warm, int n) throws InterruptedException {
    SharedQueue<Integer> toChild = new SharedQueue<>();
    SharedQueue<Integer> back = new SharedQueue<>();
    Worker<Void> echo = Workers.process("echo", () -> {
        while (true) {
            Integer x = toChild.get();
            if (x < 0) break;
            back.put(x);
        }
    });
    echo.start();
    long[] ns = new long[n];
    long check = 0;
    for (int i = -warm; i < n; i++) {
        long t0 = System.nanoTime();
        toChild.put(i & 0xffff);
        int r = back.get();
        long dt = System.nanoTime() - t0;
        if (i >= 0) { ns[i] = dt; check += r; }
    }
    toChild.put(-1);
    echo.join();
    return "{\"rtt_ns\":" + jlong(ns) + ",\"check\":" + check + ",\"exit\":" + echo.exitCode() + "}";
}

/** n such that spin(n) takes about targetNs of this thread's CPU time (after JIT warm-up;
 *  CPU time, not wall time, so other work on the machine does not shrink the unit). */
long calibrate(long targetNs) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 20; i++) sink += spin(2_000_000);
    long n = 50_000_000L, t;
    while (true) {
        long t0 = mx.getCurrentThreadCpuTime();
        sink += spin(n);
        t = mx.getCurrentThreadCpuTime() - t0;
        if (t > 300_000_000L) break;
        n *= 4;
    }
    System.out.println("calibration sink " + sink);
    return Math.max(1, (long) (n * (double) targetNs / t));
}

/** A unit run as a task: {spin result, body start, body end} (System.nanoTime is one
 *  monotonic clock for every process on Linux). */
long[] timedSpin(long n) {
    long b = System.nanoTime();
    long v = spin(n);
    return new long[] {v, b, System.nanoTime()};
}

String cpuBound(long n, int reps) throws Exception {
    Workers.keepSpareProcess(false);
    long[] seq = new long[reps], thr = new long[reps], proc = new long[reps], procSpare = new long[reps];
    // CPU time each phase got (cell thread; both threads; both child JVMs as they report it),
    // to tell a slow result from a machine busy with other work.
    long[] seqCpu = new long[reps], thrCpu = new long[reps], procCpu = new long[reps], procSpareCpu = new long[reps];
    // Where parallel time goes: the slowest unit's body, and for processes the latest body
    // start after start() (JVM start + task dispatch) and the latest result after its body.
    long[] thrBody = new long[reps], thrKernelCpu = new long[reps];
    long[] procBody = new long[reps], procToBody = new long[reps], procAfterBody = new long[reps];
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long check = 0;
    int spares = 0;
    for (int r = 0; r < reps; r++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        check += spin(n);
        check += spin(n);
        seq[r] = System.nanoTime() - t0;
        seqCpu[r] = mx.getCurrentThreadCpuTime() - c0;

        long[] tc = new long[2];
        Worker<long[]> a = Workers.thread("cpu-a", () -> { long[] x = timedSpin(n); tc[0] = mx.getCurrentThreadCpuTime(); return x; });
        Worker<long[]> b = Workers.thread("cpu-b", () -> { long[] x = timedSpin(n); tc[1] = mx.getCurrentThreadCpuTime(); return x; });
        long k0 = os.getProcessCpuTime();
        t0 = System.nanoTime();
        a.start(); b.start();
        long[] ra = a.result(), rb = b.result();
        thr[r] = System.nanoTime() - t0;
        thrCpu[r] = tc[0] + tc[1];
        thrKernelCpu[r] = os.getProcessCpuTime() - k0;
        thrBody[r] = Math.max(ra[2] - ra[1], rb[2] - rb[1]);
        check += ra[0] + rb[0];

        c0 = Workers.childCpuNanos();
        Worker<long[]> pa = Workers.process("cpu-pa", () -> timedSpin(n));
        Worker<long[]> pb = Workers.process("cpu-pb", () -> timedSpin(n));
        t0 = System.nanoTime();
        pa.start(); pb.start();
        long[] qa = pa.result();
        long ta = System.nanoTime();
        long[] qb = pb.result();
        long tb = System.nanoTime();
        proc[r] = tb - t0;
        procCpu[r] = Workers.childCpuNanos() - c0;
        procBody[r] = Math.max(qa[2] - qa[1], qb[2] - qb[1]);
        procToBody[r] = Math.max(qa[1], qb[1]) - t0;
        procAfterBody[r] = Math.max(ta - qa[2], tb - qb[2]);
        check += qa[0] + qb[0];

        // The default setting: spare JVMs are kept, as many as processes ran at once. The
        // same two-process step ran before (untimed, trivial tasks), so each takes a spare.
        if (primeSpares(2).size() == 2) spares++;
        c0 = Workers.childCpuNanos();
        Worker<long[]> sa = Workers.process("cpu-sa", () -> timedSpin(n));
        Worker<long[]> sb = Workers.process("cpu-sb", () -> timedSpin(n));
        t0 = System.nanoTime();
        sa.start(); sb.start();
        check += sa.result()[0] + sb.result()[0];
        procSpare[r] = System.nanoTime() - t0;
        procSpareCpu[r] = Workers.childCpuNanos() - c0;
        Workers.keepSpareProcess(false);
    }
    return "{\"n\":" + n + ",\"seq_ns\":" + jlong(seq) + ",\"threads_ns\":" + jlong(thr)
        + ",\"procs_ns\":" + jlong(proc) + ",\"procs_spare_ns\":" + jlong(procSpare)
        + ",\"seq_cpu_ns\":" + jlong(seqCpu) + ",\"threads_cpu_ns\":" + jlong(thrCpu)
        + ",\"procs_cpu_ns\":" + jlong(procCpu) + ",\"procs_spare_cpu_ns\":" + jlong(procSpareCpu)
        + ",\"threads_body_ns\":" + jlong(thrBody) + ",\"threads_kernel_cpu_ns\":" + jlong(thrKernelCpu)
        + ",\"procs_body_ns\":" + jlong(procBody) + ",\"procs_to_body_ns\":" + jlong(procToBody)
        + ",\"procs_after_body_ns\":" + jlong(procAfterBody)
        + ",\"spares\":" + spares + ",\"check\":" + check + "}";
}

String idleChildRss(int reps) throws Exception {
    long[] kb = new long[reps];
    for (int r = 0; r < reps; r++) {
        SharedQueue<Integer> gate = new SharedQueue<>();
        SharedQueue<Integer> ready = new SharedQueue<>();
        Worker<Void> w = Workers.process("idle" + r, () -> { ready.put(1); gate.get(); });
        w.start();
        ready.get();
        Thread.sleep(1000);
        kb[r] = rssKb(w.pid());
        gate.put(0);
        w.join();
    }
    return "{\"child_rss_kb\":" + jlong(kb) + "}";
}

long vmKb(long pid, String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    return -1;
}

String idleThreadRss(int threads, int reps) throws Exception {
    long pid = ProcessHandle.current().pid();
    long[] deltaKb = new long[reps], vmDeltaKb = new long[reps];
    for (int r = 0; r < reps; r++) {
        System.gc();
        Thread.sleep(300);
        long before = rssKb(pid), vmBefore = vmKb(pid, "VmSize");
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ready = new CountDownLatch(threads);
        List<Worker<Void>> ws = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker<Void> w = Workers.thread("idle-" + i, () -> {
                ready.countDown();
                try { gate.await(); } catch (InterruptedException e) { }
            });
            w.start();
            ws.add(w);
        }
        ready.await();
        Thread.sleep(300);
        long after = rssKb(pid), vmAfter = vmKb(pid, "VmSize");
        gate.countDown();
        for (Worker<Void> w : ws) w.join();
        deltaKb[r] = after - before;
        vmDeltaKb[r] = vmAfter - vmBefore;
    }
    return "{\"threads\":" + threads + ",\"delta_kb\":" + jlong(deltaKb) + ",\"vm_delta_kb\":"
        + jlong(vmDeltaKb) + "}";
}
'''


def run_cell(k, code: str, timeout: float = CELL_TIMEOUT) -> str:
    """Runs a cell; returns its stdout. Unlike BenchKernel.execute, needs no execute_result."""
    mid = k.kc.execute(code)
    k.wait(lambda: mid in k.shell and k.has_iopub(mid, "status", "idle"), timeout,
           f"reply to {code[:60]!r}")
    reply = k.shell.pop(mid)
    msgs = k.iopub.pop(mid, [])
    out = "".join(m["content"].get("text", "") for m in msgs
                  if m["msg_type"] == "stream" and m["content"].get("name") == "stdout")
    err = "".join(m["content"].get("text", "") for m in msgs
                  if m["msg_type"] == "stream" and m["content"].get("name") == "stderr")
    c = reply["content"]
    if c.get("status") != "ok":
        tb = "\n".join(c.get("traceback") or [])
        raise RuntimeError(f"cell {code[:60]!r} failed: {c.get('ename')}: {c.get('evalue')}\n"
                           f"{tb}\n{err}")
    return out


def bench_json(out: str) -> dict:
    for line in reversed(out.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"no {MARK.strip()} line in output:\n{out[-2000:]}")


# ------------------------------------------------- CPU used by others meanwhile

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies over all CPUs; steal counts as busy (someone else's)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
    return busy, busy + v[3] + v[4]


def _pid_ticks(pid: int, children: bool) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    t = int(fields[11]) + int(fields[12])                  # utime, stime
    return t + (int(fields[13]) + int(fields[14]) if children else 0)  # + reaped children


class OtherLoad:
    """Average number of CPUs that processes other than ours kept busy during a block:
    (machine busy jiffies - ours) / elapsed. `ours` returns the jiffies we used so far."""

    def __init__(self, ours):
        self.ours = ours
        self.cores: float | None = None

    def __enter__(self):
        self.m0, self.o0 = _machine_ticks(), self.ours()
        return self

    def __exit__(self, *exc):
        (b1, t1), o1 = _machine_ticks(), self.ours()
        wall = (t1 - self.m0[1]) / (os.cpu_count() or 1)
        if wall > 0:
            self.cores = max(0.0, (b1 - self.m0[0] - (o1 - self.o0)) / wall)


def wait_quiet(ours, log, max_s: float = QUIET_WAIT, below: float = QUIET_BELOW) -> float | None:
    """Before the CPU-bound runs: waits (at most max_s) for a 1 s window in which other
    processes keep fewer than `below` CPUs busy. Returns the last window's figure."""
    deadline = time.perf_counter() + max_s
    cores = None
    while True:
        with OtherLoad(ours) as o:
            time.sleep(1.0)
        cores = o.cores
        if cores is None or cores < below or time.perf_counter() >= deadline:
            break
    if cores is not None and cores >= below:
        log(f"  the machine stayed busy: other processes used {cores:.2f} CPUs; measuring anyway")
    return cores


def cpu_reps(one, ours, log) -> dict:
    """Runs `one` (a CPU-bound repetition returning lists of samples) CPU_REPS times, each
    after waiting for a quiet machine, and merges the lists; notes the others' load per rep."""
    merged: dict = {"other_cores_before": [], "other_cores_reps": []}
    for _ in range(CPU_REPS):
        before = wait_quiet(ours, log)
        with OtherLoad(ours) as other:
            d = one()
        for key, v in d.items():
            if isinstance(v, list):
                merged.setdefault(key, []).extend(v)
            elif key == "spares":
                merged[key] = merged.get(key, 0) + v
            else:
                merged[key] = v
        merged["other_cores_before"].append(before)
        merged["other_cores_reps"].append(other.cores)
    known = [x for x in merged["other_cores_reps"] if x is not None]
    merged["other_cores"] = statistics.mean(known) if known else None
    return merged


def kernel_ticks(kb, pid: int):
    def ours() -> int:
        t = _pid_ticks(pid, children=True) + sum(_pid_ticks(p, False) for p in kb.descendants(pid))
        return t + int(sum(os.times()[:2]) * CLK_TCK)
    return ours


def own_children_ticks() -> int:
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((ru.ru_utime + ru.ru_stime) * CLK_TCK) + int(sum(os.times()[:2]) * CLK_TCK)


# ------------------------------------------------------------------ spindle

def spindle_measure(ctx, kb) -> dict:
    """All spindle numbers, from one kernel: {key: the JSON its cell printed}."""
    log = ctx.log
    res: dict = {"errors": {}}
    k = kb.BenchKernel(ctx, kb.SPINDLE, "concurrency")
    try:
        k.start()
        k.kernel_info(kb.START_TIMEOUT)
        k.await_iopub(kb.START_TIMEOUT)
        run_cell(k, JAVA_SETUP, kb.START_TIMEOUT)
        kpid = k.process.pid

        # The first process start makes the child CDS archive in the background; wait
        # for it (bounded) so the timed starts below map it, and check that they do.
        archive = bench_json(run_cell(k, 'emit("{\\"a\\":" + jstrs(List.of(childArchive())) + "}");'))["a"][0]
        existed = os.path.isfile(archive)
        t0 = time.perf_counter()
        run_cell(k, "emit(starts(false, 0, 3));")
        deadline = time.perf_counter() + ARCHIVE_WAIT
        while not os.path.isfile(archive) and time.perf_counter() < deadline:
            time.sleep(0.1)
        ready = os.path.isfile(archive)
        res["archive"] = {"path": archive, "existed": existed, "ready": ready,
                          "wait_s": time.perf_counter() - t0}
        log(f"  child CDS archive {archive}: "
            + ("existed already" if existed else
               f"made in {time.perf_counter() - t0:.1f} s" if ready else f"NOT made within {ARCHIVE_WAIT:.0f} s"))
        try:
            maps = bench_json(run_cell(k, "emit(childMaps());"))
            res["archive"]["mapped"] = archive in maps["mapped"]
            res["archive"]["child_args"] = maps["args"]
        except Exception as e:  # noqa: BLE001
            log(f"  could not read a child's maps: {e}")

        steps = [
            ("cold", f"emit(starts(false, {START_WARMUP}, {STARTS}));", "process start+join, new JVM"),
            ("spare", f"emit(starts(true, {START_WARMUP}, {STARTS}));", "process start+join, spare JVM"),
            ("pool", f"emit(poolMap({POOL_ITEMS}, {POOL_TOTAL}, {POOL_SUBMITS}));",
             "process pool map and submit"),
            ("queue", f"emit(queueRoundTrips({QUEUE_WARMUP}, {QUEUE_N}));", "queue round trips"),
            ("cpu", None, "CPU-bound speed-up"),
            ("child_rss", "emit(idleChildRss(3));", "idle child JVM RSS"),
            ("thread_rss", f"emit(idleThreadRss({IDLE_THREADS}, 3));", "idle thread RSS"),
        ]
        for key, code, what in steps:
            t0 = time.perf_counter()
            try:
                if key == "cpu":
                    n = bench_json(run_cell(k, 'emit("{\\"n\\":" + calibrate(1_000_000_000L) + "}");'))["n"]
                    res[key] = cpu_reps(lambda: bench_json(run_cell(k, f"emit(cpuBound({n}L, 1));")),
                                        kernel_ticks(kb, kpid), log)
                else:
                    with OtherLoad(kernel_ticks(kb, kpid)) as other:
                        res[key] = bench_json(run_cell(k, code))
                    res[key]["other_cores"] = other.cores
                log(f"  spindle: {what}: {time.perf_counter() - t0:.1f} s")
            except Exception as e:  # noqa: BLE001 - one failed measurement must not lose the rest
                log(f"  spindle: {what} FAILED: {e}")
                res["errors"][key] = str(e).splitlines()[0][:300]
                if not k.km.is_alive():
                    log(k.diagnostics())
                    break
    finally:
        k.stop()
    return res


# ------------------------------------------------------------------ CPython

CPYTHON_SCRIPT = r'''
import json, multiprocessing as mp, os, statistics, sys, threading, time
from concurrent.futures import ProcessPoolExecutor

MASK = (1 << 64) - 1

def noop():
    pass

def inc(n):
    return n + 1

def spin(n):
    s = 1
    for i in range(n):
        s = ((s * 6364136223846793005) & MASK) ^ i
    return s

def echo(qin, qout):
    while True:
        x = qin.get()
        if x < 0:
            break
        qout.put(x)

def idle(ready, gate):
    ready.put(1)
    gate.get()

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1

def starts(method, warm, n):
    c = mp.get_context(method)
    out = []
    for i in range(warm + n):
        p = c.Process(target=noop)
        t0 = time.perf_counter_ns()
        p.start()
        p.join()
        dt = time.perf_counter_ns() - t0
        assert p.exitcode == 0
        if i >= warm:
            out.append(dt)
    return {"ns": out}

def pool(items, n, chunksize, submits):
    xs = range(items)
    out, sub = [], []
    with ProcessPoolExecutor(2) as ex:
        for i in range(n):
            t0 = time.perf_counter_ns()
            r = list(ex.map(inc, xs, chunksize=chunksize))
            out.append(time.perf_counter_ns() - t0)
            assert r[-1] == items
        for i in range(submits // 4 + submits):
            t0 = time.perf_counter_ns()
            ex.submit(inc, 1).result()
            dt = time.perf_counter_ns() - t0
            if i >= submits // 4:
                sub.append(dt)
    return {"ns": out, "submit_ns": sub, "chunksize": chunksize}

def queue(warm, n):
    qin, qout = mp.Queue(), mp.Queue()
    p = mp.Process(target=echo, args=(qin, qout))
    p.start()
    out = []
    for i in range(warm + n):
        t0 = time.perf_counter_ns()
        qin.put(i & 0xffff)
        qout.get()
        dt = time.perf_counter_ns() - t0
        if i >= warm:
            out.append(dt)
    qin.put(-1)
    p.join()
    return {"ns": out, "method": mp.get_start_method()}

def calibrate(target_s):
    n = 200_000
    while True:
        t0 = time.thread_time()
        spin(n)
        t = time.thread_time() - t0
        if t > 0.3:
            break
        n *= 4
    return max(1, int(n * target_s / t))

def children_cpu_ns():
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((ru.ru_utime + ru.ru_stime) * 1e9)

def cpu(reps, n=None):
    n = n or calibrate(1.0)
    c = mp.get_context()
    seq, thr, proc, seq_cpu, thr_cpu, proc_cpu = [], [], [], [], [], []
    for _ in range(reps):
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        spin(n)
        spin(n)
        seq.append(time.perf_counter_ns() - t0)
        seq_cpu.append(time.thread_time_ns() - c0)
        tc = []
        def unit():
            spin(n)
            tc.append(time.thread_time_ns())
        ts = [threading.Thread(target=unit) for _ in range(2)]
        t0 = time.perf_counter_ns()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        thr.append(time.perf_counter_ns() - t0)
        thr_cpu.append(sum(tc))
        ps = [c.Process(target=spin, args=(n,)) for _ in range(2)]
        c0 = children_cpu_ns()
        t0 = time.perf_counter_ns()
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        proc.append(time.perf_counter_ns() - t0)
        proc_cpu.append(children_cpu_ns() - c0)
    return {"n": n, "seq_ns": seq, "threads_ns": thr, "procs_ns": proc, "seq_cpu_ns": seq_cpu,
            "threads_cpu_ns": thr_cpu, "procs_cpu_ns": proc_cpu, "method": c.get_start_method()}

def child_rss(method, reps):
    c = mp.get_context(method)
    out = []
    for _ in range(reps):
        ready, gate = c.Queue(), c.Queue()
        p = c.Process(target=idle, args=(ready, gate))
        p.start()
        ready.get()
        time.sleep(1.0)
        out.append(rss_kb(p.pid))
        gate.put(0)
        p.join()
    return {"kb": out}

def vm_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1

def thread_rss(threads, reps):
    out, vm = [], []
    for _ in range(reps):
        time.sleep(0.3)
        before, vm_before = rss_kb(os.getpid()), vm_kb(os.getpid(), "VmSize")
        gate = threading.Event()
        ready = threading.Semaphore(0)
        def wait():
            ready.release()
            gate.wait()
        ts = [threading.Thread(target=wait) for _ in range(threads)]
        for t in ts:
            t.start()
        for _ in ts:
            ready.acquire()
        time.sleep(0.3)
        after, vm_after = rss_kb(os.getpid()), vm_kb(os.getpid(), "VmSize")
        gate.set()
        for t in ts:
            t.join()
        out.append(after - before)
        vm.append(vm_after - vm_before)
    return {"threads": threads, "delta_kb": out, "vm_delta_kb": vm}

if __name__ == "__main__":
    what, args = sys.argv[1], [json.loads(a) for a in sys.argv[2:]]
    print("@@bench " + json.dumps(globals()[what](*args)), flush=True)
'''


def cpython_measure(ctx) -> dict:
    script = ctx.work / "cpython_concurrency.py"
    script.write_text(CPYTHON_SCRIPT)
    calls = [
        ("spawn", "process start+join, spawn", ["starts", "spawn", START_WARMUP, STARTS]),
        ("fork", "process start+join, fork", ["starts", "fork", START_WARMUP, STARTS]),
        ("pool", "ProcessPoolExecutor map, chunksize 1",
         ["pool", POOL_ITEMS, 15, 1, 0]),
        ("pool_chunked", "ProcessPoolExecutor map, chunksize 125",
         ["pool", POOL_ITEMS, POOL_TOTAL, 125, POOL_SUBMITS]),
        ("queue", "mp.Queue round trips", ["queue", QUEUE_WARMUP, QUEUE_N]),
        ("cpu", "CPU-bound speed-up", None),
        ("child_rss_spawn", "idle child RSS, spawn", ["child_rss", "spawn", 3]),
        ("child_rss_fork", "idle child RSS, fork", ["child_rss", "fork", 3]),
        ("thread_rss", "idle thread RSS", ["thread_rss", IDLE_THREADS, 3]),
    ]
    res: dict = {"errors": {}}
    for key, what, argv in calls:
        t0 = time.perf_counter()

        def call(argv=argv) -> dict:
            proc = subprocess.run([sys.executable, str(script), argv[0], *map(json.dumps, argv[1:])],
                                  cwd=ctx.work, env=ctx.env, capture_output=True, text=True,
                                  timeout=CELL_TIMEOUT)
            if proc.returncode != 0:
                raise RuntimeError(f"exit {proc.returncode}: {proc.stderr[-1500:]}")
            return bench_json(proc.stdout)
        try:
            if key == "cpu":
                n: list = [None]     # calibrated by the first repetition, then reused

                def one() -> dict:
                    d = call(["cpu", 1, n[0]])
                    n[0] = d["n"]
                    return d
                res[key] = cpu_reps(one, own_children_ticks, ctx.log)
            else:
                with OtherLoad(own_children_ticks) as other:
                    res[key] = call()
                res[key]["other_cores"] = other.cores
            ctx.log(f"  CPython: {what}: {time.perf_counter() - t0:.1f} s")
        except Exception as e:  # noqa: BLE001
            ctx.log(f"  CPython: {what} FAILED: {e}")
            res["errors"][key] = str(e).splitlines()[0][:300]
    return res


# ------------------------------------------------------------------ section

def _get(d, *keys):
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _med(xs, scale=1.0) -> str:
    return f"{statistics.median(xs) * scale:.0f}" if xs else "?"


def run(ctx, kb) -> list:
    """The concurrency section: rows with a spindle and a CPython column."""
    if kb.SPINDLE not in ctx.kernels:
        ctx.log("  skipped: the spindle kernel is not among --kernels")
        return []
    Row = kb.Row
    load0 = kb.loadavg()
    t_section = time.perf_counter()
    py = cpython_measure(ctx)       # first, while no kernel (and no JShell warm-up) runs
    sp = spindle_measure(ctx, kb)
    load1 = kb.loadavg()
    rows: list = []

    def row(metric, unit, s, c, target=None, higher=False, note="", agg="median"):
        r = Row(metric, unit, target=target, note=note, higher=higher, agg=agg)
        if s:
            r.samples[kb.SPINDLE] = s
        if c:
            r.samples[kb.CPYTHON] = c
        rows.append(r)

    def ms(*keys):
        return [x / 1e6 for x in _get(*keys) or []]

    arch = sp.get("archive") or {}
    arch_note = ("child CDS archive " + ("mapped by the children" if arch.get("mapped") else
                                         "NOT mapped by the children" if "mapped" in arch else "unchecked")
                 + (f" (made during the run in {arch['wait_s']:.1f} s)" if arch.get("ready") and not arch.get("existed")
                    else " (existed before the run)" if arch.get("existed") else " (not made in time)"))
    cold, spare = ms(sp, "cold", "ns"), ms(sp, "spare", "ns")
    row("process start+join, trivial task, new JVM · CPython spawn", "ms",
        cold, ms(py, "spawn", "ns"), target=60.0,
        note=f"median of {STARTS} after {START_WARMUP} untimed; keepSpareProcess(false); {arch_note}; "
             f"the task returns System.nanoTime(), CPython's target is a no-op function; spindle's join() "
             f"returns when the result arrives (the JVM exits after), CPython's join() waits for the exit")
    row("process start+join, trivial task, new JVM · CPython fork", "ms", cold, ms(py, "fork", "ns"))
    row("process start+join, trivial task, spare JVM · CPython fork", "ms",
        spare, ms(py, "fork", "ns"), target=5.0,
        note=(f"before each timed start the cell waits (untimed, median {_med(ms(sp, 'spare', 'wait_ns'))} ms) "
              f"until exactly one child JVM exists and its CPU time stands still for 3×30 ms; that spare "
              f"ran the task in {_get(sp, 'spare', 'hits')}/{STARTS} starts; the time includes the kernel "
              f"starting the next spare in the background"))
    row("  of which start → task body running, new JVM", "ms", ms(sp, "cold", "task_ns"), [],
        note="the task's own System.nanoTime() minus the start time (one monotonic clock for all processes)")
    row("  of which start → task body running, spare JVM", "ms", ms(sp, "spare", "task_ns"), [])

    def per_item(d, key, which=slice(None)):
        return [x / 1e3 / POOL_ITEMS for x in (_get(d, key, "ns" if d is py else "map_ns") or [])[which]]
    last, first = slice(-POOL_MAPS, None), slice(0, POOL_MAPS)
    pool = per_item(sp, "pool", last)
    row(f"warm process pool (2), map {POOL_ITEMS} tiny items, per item · CPython "
        f"ProcessPoolExecutor chunksize 1 (default)", "µs", pool, per_item(py, "pool"), target=15.0,
        note=f"`map(n -> n + 1, 0..{POOL_ITEMS - 1})`: median of maps {POOL_TOTAL - POOL_MAPS + 1}-{POOL_TOTAL} "
             f"on one new pool (CPython chunksize 1: of 15 maps); spindle sends chunks of ceil(n/(4·workers)) "
             f"= 125 items")
    row("warm process pool (2), per item · CPython ProcessPoolExecutor chunksize 125", "µs",
        pool, per_item(py, "pool_chunked", last))
    row(f"new process pool (2): maps 1-{POOL_MAPS}, per item · CPython chunksize 125", "µs",
        per_item(sp, "pool", first), per_item(py, "pool_chunked", first),
        note="the same pools' first maps: the child JVMs' JIT is still cold")
    row("warm process pool (2), one submit(() -> 1).get() round trip · CPython submit().result()", "µs",
        [x / 1e3 for x in _get(sp, "pool", "submit_ns") or []],
        [x / 1e3 for x in _get(py, "pool_chunked", "submit_ns") or []],
        note=f"median of {POOL_SUBMITS} after {POOL_SUBMITS // 4} untimed, same pools as the maps")

    def blocks(xs, k=5):
        if not xs:
            return "?"
        size = max(1, len(xs) // k)
        return " / ".join(f"{statistics.median(xs[i:i + size]):.0f}" for i in range(0, size * k, size))
    sq = [x / 1e3 for x in _get(sp, "queue", "rtt_ns") or []]
    pq = [x / 1e3 for x in _get(py, "queue", "ns") or []]
    row("queue round trip kernel → child → kernel, one Integer · CPython mp.Queue", "µs", sq, pq,
        target=40.0,
        note=f"median of {QUEUE_N} put+get pairs, each timed alone, after {QUEUE_WARMUP} untimed; a child "
             f"echoes SharedQueue → SharedQueue (CPython: mp.Queue → mp.Queue, {_get(py, 'queue', 'method')} "
             f"child); medians of successive fifths: spindle {blocks(sq)} µs, CPython {blocks(pq)} µs")

    spc, pyc = sp.get("cpu"), py.get("cpu")

    def speedups(d, key):
        return [s / p for s, p in zip(d["seq_ns"], d[key])] if d else []

    def share(d, phase, cpus):
        """Median CPU time the phase got / (wall time × CPUs it could use): ~1 on a quiet
        machine (a CPython thread pair gets ~0.5: the GIL)."""
        xs = [c / (w * cpus) for c, w in zip(d.get(f"{phase}_cpu_ns", []), d[f"{phase}_ns"])]
        return f"{statistics.median(xs):.2f}" if xs else "?"
    cpu_note = ""
    if spc or pyc:
        def desc(d, who):
            if not d:
                return f"{who}: no data"
            return (f"{who}: n={d['n']:,}, 2 units sequential {statistics.median(d['seq_ns']) / 1e9:.2f} s, "
                    f"CPU share got {share(d, 'seq', 1)} sequential, {share(d, 'threads', 2)} threads, "
                    f"{share(d, 'procs', 2)} processes, other processes kept "
                    + " / ".join(f"{x:.2f}" if x is not None else "?" for x in d.get("other_cores_reps", []))
                    + " CPUs busy in the repetitions")
        cpu_note = (f"unit = spin(n), a multiply/xor chain calibrated to ~1 s on one thread; speed-up = "
                    f"time of 2 units sequential / time of 2 in parallel, best of {CPU_REPS} repetitions, each "
                    f"started once other processes used < {QUIET_BELOW} CPUs (or after {QUIET_WAIT:.0f} s); "
                    f"CPU share (median) = "
                    f"CPU time got / (wall × CPUs usable), ~1 on a quiet machine (CPython threads ~0.5, "
                    f"the GIL; child JVMs count their start-up too); "
                    + "; ".join([desc(spc, "spindle"), desc(pyc, "CPython")]))
    row("CPU-bound 2 × ~1 s on 2 cores: speed-up, 2 threads", "x",
        speedups(spc, "threads_ns"), speedups(pyc, "threads_ns"), target=1.9, higher=True, note=cpu_note,
        agg="max")
    py_procs = speedups(pyc, "procs_ns")
    thr_note = proc_note = ""
    if spc and "threads_body_ns" in spc:
        med = lambda key: statistics.median(spc[key]) / 1e6  # noqa: E731  ms
        unit_ms = statistics.median(spc["seq_ns"]) / 2e6
        thr_note = (f"spindle: one unit alone {unit_ms:.0f} ms; in parallel the slower thread's loop took "
                    f"{med('threads_body_ns'):.0f} ms, the whole phase {med('threads_ns'):.0f} ms; the kernel "
                    f"process used {med('threads_kernel_cpu_ns'):.0f} ms CPU in it, the two loops "
                    f"{med('threads_cpu_ns'):.0f} ms")
        proc_note = (f"spindle: start() → the later task body running {med('procs_to_body_ns'):.0f} ms, slower "
                     f"body {med('procs_body_ns'):.0f} ms (one unit alone on the kernel's warm JIT: "
                     f"{unit_ms:.0f} ms), body end → result {med('procs_after_body_ns'):.0f} ms; ")
    rows[-1].note += ("; " if rows[-1].note and thr_note else "") + thr_note
    row("CPU-bound: speed-up, 2 processes incl. start, new JVMs", "x",
        speedups(spc, "procs_ns"), py_procs, target=1.85, higher=True, agg="max",
        note=f"{proc_note}timed from start() to both results; CPython: {(pyc or {}).get('method', '?')} processes")
    row("CPU-bound: speed-up, 2 processes incl. start, spare kept (default)", "x",
        speedups(spc, "procs_spare_ns"), py_procs, target=1.85, higher=True, agg="max",
        note="spares are kept as many as processes ran at once: after an untimed start of two "
             "trivial processes together, each of the two takes an idle spare JVM (two spares were up "
             f"before {(spc or {}).get('spares', '?')} of {CPU_REPS} repetitions); the kernel starts the "
             "next spares when the tasks end")

    def mb(d, *keys):
        return [x / 1024 for x in _get(d, *keys) or []]
    child = mb(sp, "child_rss", "child_rss_kb")
    row("idle child RSS (process worker blocked in a queue get) · CPython spawn", "MB",
        child, mb(py, "child_rss_spawn", "kb"),
        note="VmRSS of the child 1 s after it signalled ready, median of 3 children")
    row("idle child RSS · CPython fork (counts pages shared with the parent)", "MB",
        child, mb(py, "child_rss_fork", "kb"))

    def per_thread(d, key="delta_kb"):
        return [x / d["threads"] for x in d[key]] if d and key in d else []
    stv, pyv = per_thread(sp.get("thread_rss"), "vm_delta_kb"), per_thread(py.get("thread_rss"), "vm_delta_kb")
    row(f"idle thread: RSS increase per thread ({IDLE_THREADS} blocked threads)", "KB",
        per_thread(sp.get("thread_rss")), per_thread(py.get("thread_rss")),
        note=f"(VmRSS with {IDLE_THREADS} started threads blocked on a latch/event − VmRSS before) / "
             f"{IDLE_THREADS}, in the kernel (Workers.thread) and in python3 (threading.Thread); median "
             f"of 3; virtual size per thread (stack reservation etc.): {_med(stv, 1 / 1024)} MB spindle, "
             f"{_med(pyv, 1 / 1024)} MB CPython")

    errs = {**{f"spindle {k}": v for k, v in sp["errors"].items()},
            **{f"CPython {k}": v for k, v in py["errors"].items()}}
    def others(res):
        xs = [v["other_cores"] for v in res.values() if isinstance(v, dict) and v.get("other_cores") is not None]
        return f"{statistics.mean(xs):.2f} (max {max(xs):.2f})" if xs else "?"
    extra = (f"section took {time.perf_counter() - t_section:.0f} s; load average {load0} before, "
             f"{load1} after; other processes kept on average {others(sp)} CPUs busy per spindle "
             f"measurement, {others(py)} per CPython one; CPython {platform.python_version()} "
             f"({sys.executable}), measured first with no kernel running")
    if errs:
        extra += "; FAILED: " + "; ".join(f"{k}: {v}" for k, v in errs.items())
    rows[0].note = (rows[0].note + "; " if rows[0].note else "") + extra
    ctx.log("  " + extra)
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import kernel_bench
    kernel_bench.BENCHMARKS[:] = [kernel_bench.concurrency]
    sys.exit(kernel_bench.main())
