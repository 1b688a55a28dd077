package dev.spindle.engine;

import dev.spindle.internal.process.NotebookState;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Cells run here: JShell in the kernel's own JVM, with {@link CellExecutionControl} to run
 * each snippet in the cell's thread group. Owns evaluation, completion, inspection and the
 * interrupt sequence (ask politely, then force where the JDK allows, then abandon and say so).
 */
public final class JShellEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(JShellEngine.class.getName());

    /** What every cell can use without importing. */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
            "java.util.concurrent.locks.*", "java.util.function.*", "java.util.stream.*",
            "java.io.*", "java.nio.file.*", "java.time.*", "dev.spindle.concurrent.*");
    static final List<String> DEFAULT_STATIC_IMPORTS = List.of("dev.spindle.output.Display.*");
    /** Timing classes by name: {@code dev.spindle.timing.Clock} would clash with {@code java.time.Clock}. */
    static final List<String> DEFAULT_TYPE_IMPORTS = List.of(
            "dev.spindle.timing.Benchmark", "dev.spindle.timing.BenchmarkResult", "dev.spindle.chart.Chart",
            "dev.spindle.chart.Figure", "dev.spindle.timing.Timeit", "dev.spindle.timing.TimeitResult",
            "dev.spindle.timing.Measurement", "dev.spindle.timing.TimeReport", "dev.spindle.timing.Stats",
            "dev.spindle.timing.Speedup", "dev.spindle.facts.Claim", "dev.spindle.facts.Verdict",
            "dev.spindle.magic.PythonRun", "dev.spindle.facts.Machine");

    private static final long FORCE_AFTER_MS = 500, ABANDON_AFTER_MS = 2500;
    /** How long completion and inspection wait for JShell to finish starting. */
    private static final long ANALYSIS_WAIT_MS = 20_000;

    private final CellExecutionControl control = new CellExecutionControl();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    private final Tracebacks tracebacks = new Tracebacks();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spindle-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream log;
    private final List<CellRun> stoppedRuns = new ArrayList<>();
    private final List<java.util.function.Consumer<ThreadGroup>> stopListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CellRun current;
    /** JShell is not thread-safe: every use holds this lock. */
    private final ReentrantLock jshellLock = new ReentrantLock();
    /** Raised while a user request waits, so background warm-up yields at once. */
    private final AtomicInteger userWaiting = new AtomicInteger();
    /** Set by an interrupt that arrives while a cell waits for JShell to finish starting. */
    private volatile boolean waitingForShell, interruptedWhileWaiting;
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
            try {
                js = create();
                shell.complete(js);
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "JShell failed to start", e);
                shell.completeExceptionally(e);
                return;
            }
            warmUp(js);
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

    /** Called with the cell's thread group when a cell is interrupted, e.g. to kill its child JVMs. */
    public void addStopListener(java.util.function.Consumer<ThreadGroup> listener) {
        stopListeners.add(listener);
    }

    @Override
    public Outcome execute(String code, CellContext cell) {
        waitingForShell = true;
        JShell js;
        try {
            js = acquire(Long.MAX_VALUE);
        } finally {
            waitingForShell = false;
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
            jshellLock.unlock();
        }
    }

    private Outcome executeLocked(JShell js, String code, CellContext cell) {
        if (interruptedWhileWaiting) {
            interruptedWhileWaiting = false;
            return new Outcome.Failure("Interrupted", "the cell was interrupted before it started",
                    List.of("\u001b[0;31mInterrupted\u001b[0m: the cell was interrupted while Java was starting; it did not run."));
        }
        int number = cell.executionCount() > 0 ? cell.executionCount() : 0;
        CellRun run = new CellRun(number > 0 ? number : -(++anonymousRuns));
        forgetFinishedStops();
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
        current = run;
        control.setRun(run);
        runner.start();
        try {
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            current = null;
            control.setRun(null);
        }
        if (run.stopRequested) {
            synchronized (stoppedRuns) {
                stoppedRuns.add(run);
            }
            return interrupted(run);
        }
        return out[0];
    }

    private Outcome runCell(JShell js, CellRun run, String code, int cellNumber) {
        List<CellSource.Piece> pieces = CellSource.split(js.sourceCodeAnalysis(), code);
        Outcome.Value value = new Outcome.Value(null, null);
        for (int i = 0; i < pieces.size(); i++) {
            if (run.stopRequested) break;
            CellSource.Piece piece = pieces.get(i);
            List<SnippetEvent> events = js.eval(piece.source());
            Outcome o = examine(js, events, piece, code, cellNumber, i == pieces.size() - 1);
            if (o instanceof Outcome.Failure) return o;
            value = (Outcome.Value) o;
        }
        return value;
    }

    private Outcome examine(JShell js, List<SnippetEvent> events, CellSource.Piece piece, String code,
                            int cellNumber, boolean last) {
        SnippetEvent main = null;
        JShellException thrown = null;
        int firstLine = CellSource.lineOf(code, piece.offset());
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                main = e;
                tracebacks.remember(e.snippet().id(), cellNumber, firstLine);
            } else if (e.status() == Snippet.Status.OVERWRITTEN) {
                // Same declaration again: JShell may keep running the old snippet's class, so
                // frames of the old id must point at where the declaration now stands.
                tracebacks.remember(e.snippet().id(), cellNumber, firstLine);
            } else {
                noteDependent(js, e);
            }
            if (e.exception() != null && thrown == null) thrown = e.exception();
        }
        if (main == null) return new Outcome.Value(null, null);
        if (thrown != null) return tracebacks.exception(thrown);
        switch (main.status()) {
            case REJECTED:
                return tracebacks.compileError(cellNumber, code, piece,
                        js.diagnostics(main.snippet()).collect(Collectors.toList()));
            case RECOVERABLE_DEFINED:
            case RECOVERABLE_NOT_DEFINED:
                warnUnresolved(js, main.snippet(), "was declared");
                return new Outcome.Value(null, null);
            default:
                break;
        }
        Object raw = control.takeLastValue();
        if (!last || main.value() == null) return new Outcome.Value(null, null);
        Snippet.SubKind kind = main.snippet().subKind();
        boolean shown = kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || kind == Snippet.SubKind.VAR_VALUE_SUBKIND
                || kind == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
        // As in IPython, a semicolon after the last expression means "run it, don't show it":
        // `list.add(x);`, `display(chart);` and `System.out.printf(..);` are statements.
        if (piece.typedSemicolon()) shown = false;
        // printf/format/append return their PrintStream: the cell printed, it computed nothing
        // worth showing ("PrintStream@1b6d3586"), with or without the semicolon.
        if (raw instanceof java.io.PrintStream && kind != Snippet.SubKind.VAR_VALUE_SUBKIND) shown = false;
        return shown ? new Outcome.Value(main.value(), raw) : new Outcome.Value(null, null);
    }

    /** A redefinition changed another snippet: say what happened to it, as jshell does. */
    private void noteDependent(JShell js, SnippetEvent e) {
        if (!(e.snippet() instanceof DeclarationSnippet)) return;
        boolean wasValid = e.previousStatus() == Snippet.Status.VALID;
        if (wasValid && (e.status() == Snippet.Status.RECOVERABLE_DEFINED
                || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
            warnUnresolved(js, e.snippet(), "can no longer be used");
        } else if (e.status() == Snippet.Status.VALID && e.snippet().kind() == Snippet.Kind.VAR && wasValid) {
            System.err.println("note: " + describe(e.snippet()) + " was recompiled against the new definitions"
                    + " and reset to its default value.");
        }
    }

    private void warnUnresolved(JShell js, Snippet s, String what) {
        if (!(s instanceof DeclarationSnippet d)) return;
        Set<String> deps = js.unresolvedDependencies(d).collect(Collectors.toCollection(LinkedHashSet::new));
        if (deps.isEmpty()) return;
        System.err.println("note: " + describe(s) + " " + what + ", but it cannot be used until "
                + String.join(", ", deps) + (deps.size() == 1 ? " is" : " are") + " declared.");
    }

    private static String describe(Snippet s) {
        String kind = switch (s.kind()) {
            case METHOD -> "method";
            case TYPE_DECL -> "type";
            case VAR -> "variable";
            default -> "snippet";
        };
        return kind + " " + (s instanceof DeclarationSnippet d ? d.name() : s.id());
    }

    private Outcome.Failure interrupted(CellRun run) {
        List<String> tb = new ArrayList<>();
        String evalue;
        if (run.abandoned) {
            evalue = "the cell was interrupted, but some of its threads could not be stopped";
            tb.add("\u001b[0;31mInterrupted\u001b[0m: " + evalue + ".");
            String live = run.describeLiveThreads();
            if (!live.isEmpty()) {
                tb.add("Still running (inside JDK code, which this JDK cannot stop from within the JVM):");
                tb.add(live.stripTrailing());
            }
            tb.add("They keep using CPU until they finish. The kernel is usable; restart it to end them now.");
        } else {
            evalue = "the cell was interrupted";
            String live = run.describeLiveThreads();
            if (live.isEmpty()) {
                tb.add("\u001b[0;31mInterrupted\u001b[0m: the cell and the threads it started were stopped.");
            } else {
                // Blocked threads (a deadlock, a lock wait) hold no CPU and cannot be unwound.
                tb.add("\u001b[0;31mInterrupted\u001b[0m: the cell was stopped; these threads it started are still alive:");
                tb.add(live.stripTrailing());
                tb.add("Threads blocked on a lock (e.g. a deadlock) use no CPU; restart the kernel to end them.");
            }
        }
        return new Outcome.Failure("Interrupted", evalue, tb);
    }

    private void forgetFinishedStops() {
        synchronized (stoppedRuns) {
            stoppedRuns.removeIf(r -> {
                if (!r.liveThreads().isEmpty()) return false;
                StopCheck.forget(r.group);
                return true;
            });
        }
    }

    @Override
    public void interrupt() {
        CellRun run = current;
        if (run == null) {
            if (waitingForShell) interruptedWhileWaiting = true;
            return;
        }
        LOG.info(() -> "interrupt: stopping cell " + run.number);
        run.requestStop();
        for (var l : stopListeners) {
            try {
                l.accept(run.group);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stop listener failed", e);
            }
        }
        watchdog.schedule(() -> {
            if (current == run && run.snippetThread != null && run.snippetThread.isAlive()) {
                boolean forced = run.forceStop();
                LOG.info(() -> "interrupt: forced stop " + (forced ? "sent" : "not available on this JDK"));
            }
        }, FORCE_AFTER_MS, TimeUnit.MILLISECONDS);
        watchdog.schedule(() -> {
            Thread snippet = run.snippetThread;
            if (current == run && snippet != null && snippet.isAlive()) {
                LOG.warning(() -> "interrupt: abandoning cell " + run.number + "\n" + run.describeLiveThreads());
                run.abandoned = true;
                run.runner.interrupt(); // it waits in Thread.join for the snippet thread
            }
        }, ABANDON_AFTER_MS, TimeUnit.MILLISECONDS);
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
            return completeLocked(js, code, cursor);
        } finally {
            jshellLock.unlock();
        }
    }

    private Completion completeLocked(JShell js, String code, int cursor) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        int start = snippetStart(analysis, code, cursor);
        String src = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions;
        try {
            suggestions = analysis.completionSuggestions(src, src.length(), anchor);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "completion failed", e);
            return new Completion(List.of(), cursor, cursor);
        }
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completion(new ArrayList<>(matches), start + anchor[0], cursor);
    }

    private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
        List<CellSource.Piece> pieces = CellSource.split(analysis, code.substring(0, cursor));
        if (pieces.isEmpty()) return cursor;
        CellSource.Piece lastPiece = pieces.get(pieces.size() - 1);
        int end = lastPiece.offset() + lastPiece.source().length();
        // A complete last snippet that ends before the cursor means the cursor starts a new one.
        return end < cursor && code.substring(end, cursor).isBlank() ? cursor : lastPiece.offset();
    }

    @Override
    public Optional<Inspection> inspect(String code, int cursor) {
        JShell js = acquire(ANALYSIS_WAIT_MS);
        if (js == null) return Optional.empty();
        try {
            return inspectLocked(js, code, cursor);
        } finally {
            jshellLock.unlock();
        }
    }

    private Optional<Inspection> inspectLocked(JShell js, String code, int cursor) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        int start = snippetStart(analysis, code, end);
        if (start >= end) return Optional.empty();
        String src = code.substring(start, end);
        List<SourceCodeAnalysis.Documentation> docs;
        try {
            docs = analysis.documentation(src, src.length(), true);
            if (docs.isEmpty()) docs = analysis.documentation(src + "(", src.length() + 1, true);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "inspection failed", e);
            return Optional.empty();
        }
        if (docs.isEmpty()) return Optional.empty();
        StringBuilder plain = new StringBuilder(), md = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            plain.append(d.signature()).append('\n');
            md.append("```java\n").append(d.signature()).append("\n```\n");
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                plain.append(d.javadoc().strip()).append("\n\n");
                md.append(d.javadoc().strip()).append("\n\n");
            }
        }
        return Optional.of(new Inspection(plain.toString().strip(), md.toString().strip()));
    }

    @Override
    public Completeness isComplete(String code) {
        JShell js = acquire(ANALYSIS_WAIT_MS);
        if (js == null) return new Completeness("unknown", "");
        try {
            return isCompleteLocked(js, code);
        } finally {
            jshellLock.unlock();
        }
    }

    private Completeness isCompleteLocked(JShell js, String code) {
        SourceCodeAnalysis analysis = js.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> rest = info.remaining();
                case EMPTY -> rest = "";
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return new Completeness("incomplete", indentFor(rest));
                }
                default -> {
                    return new Completeness("invalid", "");
                }
            }
        }
        return new Completeness("complete", "");
    }

    private static String indentFor(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(') depth++;
            else if ((c == '}' || c == ')') && depth > 0) depth--;
        }
        return "    ".repeat(Math.max(1, depth));
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
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
