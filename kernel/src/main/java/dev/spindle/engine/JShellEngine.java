package dev.spindle.engine;

import dev.spindle.internal.process.NotebookState;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cells run here: JShell in the kernel's own JVM, with {@link CellExecutionControl} to run
 * each snippet on the notebook's {@link MainThread}. Owns JShell's lifecycle and the execution of cells;
 * {@link SnippetResults} reads what each snippet did, {@link JShellAnalysis} answers completion,
 * inspection and is_complete, and {@link Interrupter} runs the interrupt sequence (ask politely,
 * then force where the JDK allows, then abandon and say so).
 */
public final class JShellEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(JShellEngine.class.getName());

    /** What every cell can use without importing. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
            "java.util.concurrent.locks.*", "java.util.function.*", "java.util.stream.*",
            "java.io.*", "java.nio.file.*", "java.time.*", "dev.spindle.concurrent.*");
    static final List<String> DEFAULT_STATIC_IMPORTS = List.of("dev.spindle.output.Display.*");
    /** Classes by name: {@code dev.spindle.timing.Clock} would clash with {@code java.time.Clock}. */
    static final List<String> DEFAULT_TYPE_IMPORTS = List.of(
            "dev.spindle.timing.Benchmark", "dev.spindle.timing.BenchmarkResult", "dev.spindle.chart.Chart",
            "dev.spindle.chart.Figure", "dev.spindle.timing.Timeit", "dev.spindle.timing.TimeitResult",
            "dev.spindle.timing.Measurement", "dev.spindle.timing.TimeReport", "dev.spindle.timing.Stats",
            "dev.spindle.timing.Speedup", "dev.spindle.facts.Claim", "dev.spindle.facts.Verdict", "dev.spindle.facts.Load",
            "dev.spindle.magic.PythonRun", "dev.spindle.facts.Machine");

    /** How long completion and inspection wait for JShell to finish starting. */
    private static final long ANALYSIS_WAIT_MS = 20_000;

    private final CellExecutionControl control = new CellExecutionControl();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    private final Tracebacks tracebacks = new Tracebacks();
    private final SnippetResults results = new SnippetResults(control, tracebacks);
    private final Interrupter interrupter = new Interrupter();
    /** Releases replaced snippets and finished statements so long sessions stay small and fast. */
    private final SessionHousekeeping housekeeping = new SessionHousekeeping(control);
    private final PrintStream log;
    /** JShell is not thread-safe: every use holds this lock. */
    private final ReentrantLock jshellLock = new ReentrantLock();
    /** Raised while a user request waits, so background warm-up yields at once. */
    private final AtomicInteger userWaiting = new AtomicInteger();
    private int anonymousRuns;

    public JShellEngine(PrintStream log) {
        this.log = log;
    }

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    /** Builds JShell and warms it up on a background thread; cells wait for it. Idempotent. */
    public void start() {
        if (!started.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            CellContexts.markKernelThread();
            JShell js;
            long cpu0 = CompileClock.currentThreadCpu();
            try {
                js = create();
                control.compileClock.addCpu(CompileClock.currentThreadCpu() - cpu0);
                shell.complete(js);
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "JShell failed to start", e);
                shell.completeExceptionally(e);
                return;
            }
            long cpu1 = CompileClock.currentThreadCpu();
            warmUp(js);
            control.compileClock.addCpu(CompileClock.currentThreadCpu() - cpu1);
        }, "spindle-jshell-start");
        t.setDaemon(true);
        t.start();
    }

    private JShell create() {
        long t0 = System.nanoTime();
        JShell js = JShell.builder()
                .executionEngine(new CellExecutionControl.Provider(control), Map.of())
                .out(log).err(log).in(InputStream.nullInputStream())
                .build();
        for (String p : DEFAULT_IMPORTS) js.eval("import " + p + ";");
        for (String p : DEFAULT_STATIC_IMPORTS) js.eval("import static " + p + ";");
        for (String p : DEFAULT_TYPE_IMPORTS) js.eval("import " + p + ";");
        // Compile and run once so the first real cell does not pay for class loading and JIT.
        for (SnippetEvent e : js.eval("1 + 1")) {
            if (e.causeSnippet() == null) js.drop(e.snippet());
        }
        js.sourceCodeAnalysis().completionSuggestions("Str", 3, new int[1]);
        LOG.info(() -> String.format("JShell ready in %.0f ms", (System.nanoTime() - t0) / 1e6));
        return js;
    }

    /** Typical first cells: compiling them a few times gets javac's hot paths through the JIT. */
    private static final List<String> WARMUP = List.of(
            "1 + 1", "int spindleWarmA = 2;", "String spindleWarmB = \"a\" + 1;",
            "int spindleWarmC(int v) { return v * 2; }", "spindleWarmC(21)",
            "class SpindleWarmD { int v; SpindleWarmD(int v) { this.v = v; } }", "new SpindleWarmD(3).v",
            "List.of(1, 2, 3).stream().mapToInt(i -> i).sum()", "Math.max(3, 4)",
            "for (int i = 0; i < 3; i++) { }", "var spindleWarmE = new ArrayList<String>();");
    private static final int WARMUP_ROUNDS = 5;

    /**
     * Runs {@link #WARMUP} while the kernel is idle, one snippet at a time, and gives way as
     * soon as a user request waits. Then collects garbage once: JShell's start leaves tens of
     * megabytes of garbage that would otherwise stay in the kernel's footprint.
     */
    private void warmUp(JShell js) {
        long t0 = System.nanoTime();
        int done = 0;
        outer:
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            for (String snippet : WARMUP) {
                if (userWaiting.get() > 0 || !jshellLock.tryLock()) break outer;
                try {
                    for (SnippetEvent e : js.eval(snippet)) {
                        if (e.causeSnippet() == null && e.status().isActive()) js.drop(e.snippet());
                    }
                    done++;
                } finally {
                    jshellLock.unlock();
                }
            }
        }
        int evals = done;
        LOG.info(() -> String.format("warm-up: %d snippets in %.0f ms", evals, (System.nanoTime() - t0) / 1e6));
        // Forget the warm-up's snippets (javac's warmed contexts stay), then collect.
        if (userWaiting.get() == 0 && jshellLock.tryLock()) {
            try {
                housekeeping.afterWarmUp(js);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "housekeeping after warm-up failed", e);
            } finally {
                jshellLock.unlock();
            }
        }
        if (userWaiting.get() == 0) System.gc();
    }

    /** Waits for JShell for a user request, holding the lock; null if it failed to start. */
    private JShell acquire(long timeoutMs) {
        userWaiting.incrementAndGet();
        try {
            JShell js = shell.get(timeoutMs, TimeUnit.MILLISECONDS);
            jshellLock.lockInterruptibly();
            return js;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            userWaiting.decrementAndGet();
        }
    }

    /** Blocks until JShell is ready; used by warm-up runs (CDS archive creation). */
    public void awaitReady() {
        shell.join();
    }

    /** Bytecode of the cell classes, unwoven, for shipping to child JVMs. */
    public Map<String, byte[]> classBytes() {
        return control.classBytes;
    }

    /** The notebook as child JVMs see it: live classes and top-level variables. */
    public NotebookState notebookState() {
        return new CellState(new CellState.ShellAccess() {
            @Override
            public <T> T withShell(java.util.function.Function<JShell, T> f, T fallback) {
                return JShellEngine.this.withShell(f, fallback);
            }
        }, control);
    }

    /** Runs {@code f} with JShell locked, or returns {@code fallback} if JShell is not ready. */
    <T> T withShell(java.util.function.Function<JShell, T> f, T fallback) {
        JShell js = shell.getNow(null);
        if (js == null) return fallback;
        // The cell that asks is usually running, and the runner holds the lock for it; reading
        // JShell's snippet lists from another thread is safe enough for that purpose.
        if (jshellLock.isLocked()) return f.apply(js);
        jshellLock.lock();
        try {
            return f.apply(js);
        } finally {
            jshellLock.unlock();
        }
    }

    /** Called with the cell's output context when a cell is interrupted, e.g. to kill its child JVMs. */
    public void addStopListener(java.util.function.Consumer<CellContext> listener) {
        interrupter.addStopListener(listener);
    }
    @Override
    public Outcome execute(String code, CellContext cell) {
        interrupter.waitingForShell(true);
        JShell js;
        long waitStart = System.nanoTime();
        try {
            js = acquire(Long.MAX_VALUE);
        } finally {
            interrupter.waitingForShell(false);
            control.compileClock.addWait(System.nanoTime() - waitStart);
        }
        if (js == null) {
            try {
                shell.join();
            } catch (RuntimeException e) {
                return tracebacks.throwable(e.getCause() != null ? e.getCause() : e);
            }
            return new Outcome.Failure("KernelError", "JShell is not available", List.of("JShell is not available"));
        }
        try {
            return executeLocked(js, code, cell);
        } finally {
            try {
                // Interrupted while waiting for the cell: it may still be inside JShell.
                if (!Thread.currentThread().isInterrupted()) housekeeping.afterCell(js);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "housekeeping after a cell failed", e);
            }
            jshellLock.unlock();
        }
    }

    /**
     * Called when the kernel is idle: releases what finished and replaced snippets left behind
     * and, now and then, gives javac fresh contexts, warmed at once so the next cell does not
     * pay for it. Does nothing if a request holds or waits for JShell.
     */
    public void whenIdle() {
        JShell js = shell.getNow(null);
        if (js == null || userWaiting.get() > 0 || !jshellLock.tryLock()) return;
        try {
            // A block is a statement: it leaves no value or declaration behind to release.
            if (housekeeping.whenIdle(js)) js.eval("{ int spindleWarm = Math.max(1, 2) + 1; }");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "idle housekeeping failed", e);
        } finally {
            jshellLock.unlock();
        }
    }

    private Outcome executeLocked(JShell js, String code, CellContext cell) {
        Outcome.Failure notStarted = interrupter.takeInterruptedWhileWaiting();
        if (notStarted != null) return notStarted;
        int number = cell.executionCount() > 0 ? cell.executionCount() : 0;
        // The cell's threads see, through their tag, the context class loader cells always had.
        CellRun run = new CellRun(number > 0 ? number : -(++anonymousRuns), cell,
                Thread.currentThread().getContextClassLoader());
        run.main = control.mainThread();
        interrupter.forgetFinishedStops();
        Outcome[] out = new Outcome[1];
        Thread runner = new Thread(() -> {
            CellContexts.enterCell(cell);
            try {
                out[0] = runCell(js, run, code, number);
            } catch (Throwable t) {
                out[0] = tracebacks.throwable(t);
            } finally {
                CellContexts.leaveCell(cell);
            }
        }, "spindle-cell-runner-" + Math.abs(run.number));
        run.runner = runner;
        interrupter.setCurrent(run);
        control.setRun(run);
        runner.start();
        try {
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            interrupter.setCurrent(null);
            control.setRun(null);
        }
        if (run.stopRequested) return interrupter.stopped(run);
        return out[0];
    }

    private Outcome runCell(JShell js, CellRun run, String code, int cellNumber) {
        CompileClock clock = control.compileClock;
        clock.begin();
        try {
            List<CellSource.Piece> pieces = StatementGroups.plan(code, CellSource.split(js.sourceCodeAnalysis(), code));
            return runPieces(js, run, pieces, code, cellNumber, true);
        } finally {
            clock.end();
        }
    }

    /**
     * Evaluates pieces in order; the first failure ends the cell. A group of statements that
     * does not compile as one block is run again as its separate snippets: none of it ran, and
     * the snippets then behave, and fail, exactly as they would have on their own.
     */
    private Outcome runPieces(JShell js, CellRun run, List<CellSource.Piece> pieces, String code, int cellNumber,
                              boolean endsCell) {
        Outcome.Value value = new Outcome.Value(null, null);
        for (int i = 0; i < pieces.size(); i++) {
            if (run.stopRequested) break;
            CellSource.Piece piece = pieces.get(i);
            boolean last = endsCell && i == pieces.size() - 1;
            List<SnippetEvent> events = js.eval(piece.source());
            Outcome o = piece.isGroup() && SnippetResults.rejected(events)
                    ? runPieces(js, run, piece.parts(), code, cellNumber, last)
                    : results.examine(js, events, piece, code, cellNumber, last);
            if (o instanceof Outcome.Failure) return o;
            value = (Outcome.Value) o;
        }
        return value;
    }

    /** Wall time cells spent waiting for JShell and compiling, in nanoseconds since the start. */
    public long compileWallNanos() {
        return control.compileClock.wallNanos();
    }

    /** CPU time the kernel spent starting JShell and compiling cells, in nanoseconds. */
    public long compileCpuNanos() {
        return control.compileClock.cpuNanos();
    }

    @Override
    public void interrupt() {
        interrupter.interrupt();
    }

    @Override
    public void addToClasspath(String path) {
        JShell js = acquire(Long.MAX_VALUE);
        if (js == null) throw new IllegalStateException("JShell is not available");
        try {
            js.addToClasspath(path);
        } finally {
            jshellLock.unlock();
        }
    }

    @Override
    public Outcome evaluate(String expression, CellContext cell) {
        return execute(expression, cell);
    }

    @Override
    public Completion complete(String code, int cursor) {
        JShell js = acquire(ANALYSIS_WAIT_MS);
        if (js == null) return new Completion(List.of(), cursor, cursor);
        try {
            return JShellAnalysis.complete(js, code, cursor);
        } finally {
            jshellLock.unlock();
        }
    }

    @Override
    public Optional<Inspection> inspect(String code, int cursor) {
        JShell js = acquire(ANALYSIS_WAIT_MS);
        if (js == null) return Optional.empty();
        try {
            return JShellAnalysis.inspect(js, code, cursor);
        } finally {
            jshellLock.unlock();
        }
    }

    @Override
    public Completeness isComplete(String code) {
        JShell js = acquire(ANALYSIS_WAIT_MS);
        if (js == null) return new Completeness("unknown", "");
        try {
            return JShellAnalysis.isComplete(js, code);
        } finally {
            jshellLock.unlock();
        }
    }

    @Override
    public void close() {
        interrupter.close();
        control.shutdownMain();
        JShell js = shell.getNow(null);
        if (js != null) {
            try {
                js.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing JShell", e);
            }
        }
    }
}
