package dev.spindle.timing;

import dev.spindle.facts.Load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Compares labelled variants of the same work, optionally over a parameter sweep, and shows the
 * outcome as a chart and a table. Each variant runs {@link #warmup(int) warm-up} times (not
 * measured: JIT, caches, thread pools), then {@link #repetitions(int) repetitions} measured
 * times; a measurement records wall time and CPU time (kernel process plus child processes).
 * <pre>{@code
 * var r = Benchmark.of("CPU-bound work")
 *     .variant("sequential", () -> work(8))
 *     .variant("threads", () -> parallelWork(8))
 *     .run();                        // shows progress, then a bar chart with spread
 * r.speedup("sequential")            // threads: 3.6x ...
 *
 * Benchmark.of("Sum of squares").sweep("workers", 1, 2, 4, 8)
 *     .variant("sequential", () -> sum(N))            // measured once, flat line
 *     .variant("threads", n -> sumWithThreads(N, n))  // measured for each worker count
 *     .run();                        // time vs workers, and speed-up vs workers with an ideal line
 * }</pre>
 * Variants run in the order given, all of one parameter value before the next value. While it
 * runs, one display shows the progress; at the end it is replaced by the chart and table. Assign
 * the result ({@code var r = ...run();}) to keep it without showing the chart twice.
 */
public final class Benchmark {
    /** Where results of {@link Callable} variants go, so the JIT cannot discard their work. */
    static volatile Object sink;

    private final String title;
    private final List<Variant> variants = new ArrayList<>();
    private int warmup = 1;
    private int repetitions = 5;
    private int loops = 1;
    private String parameterName;
    private int[] parameters;
    private String baseline;
    private Spread spread = Spread.MIN_MAX;
    private boolean show = true;

    record Variant(String label, SweepWork body, boolean parametric) {
    }

    private Benchmark(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** A new benchmark; {@code title} heads its chart and table. */
    public static Benchmark of(String title) {
        return new Benchmark(title);
    }

    /**
     * A variant that does its work in {@code body} (which may throw, e.g. from
     * {@code worker.join()}); in a sweep it is measured once.
     */
    public Benchmark variant(String label, Work body) {
        Objects.requireNonNull(body, "body");
        return add(new Variant(label, n -> body.run(), false));
    }

    /** A variant that computes a value (kept, so the JIT cannot skip the work). */
    public Benchmark variant(String label, Callable<?> body) {
        Objects.requireNonNull(body, "body");
        return add(new Variant(label, n -> sink = body.call(), false));
    }

    /**
     * A variant that takes the sweep's parameter (e.g. the number of workers); it runs once per
     * {@link #sweep(String, int...) sweep} value. Without a sweep it is called with 1.
     */
    public Benchmark variant(String label, SweepWork body) {
        Objects.requireNonNull(body, "body");
        return add(new Variant(label, body, true));
    }

    private Benchmark add(Variant v) {
        Objects.requireNonNull(v.label(), "label");
        for (Variant w : variants) {
            if (w.label().equals(v.label())) throw new IllegalArgumentException("duplicate variant '" + v.label() + "'");
        }
        variants.add(v);
        return this;
    }

    /**
     * Sweeps a parameter: each {@link #variant(String, SweepWork) parametric variant} is
     * measured at every value, e.g. {@code sweep("workers", 1, 2, 4, 8)}.
     */
    public Benchmark sweep(String name, int... values) {
        Objects.requireNonNull(name, "name");
        if (values.length == 0) throw new IllegalArgumentException("a sweep needs at least one value");
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < i; j++) {
                if (values[i] == values[j]) throw new IllegalArgumentException("duplicate sweep value " + values[i]);
            }
        }
        this.parameterName = name;
        this.parameters = values.clone();
        return this;
    }

    /** Unmeasured runs of each variant before measuring (default 1). */
    public Benchmark warmup(int runs) {
        if (runs < 0) throw new IllegalArgumentException("warm-up runs must be >= 0");
        this.warmup = runs;
        return this;
    }

    /** Measured runs of each variant (default 5). */
    public Benchmark repetitions(int runs) {
        if (runs < 1) throw new IllegalArgumentException("repetitions must be >= 1");
        this.repetitions = runs;
        return this;
    }

    /**
     * Calls of the body per measured run (default 1); a sample is then the time per call. Use it
     * for bodies that take well under a millisecond.
     */
    public Benchmark loops(int calls) {
        if (calls < 1) throw new IllegalArgumentException("loops must be >= 1");
        this.loops = calls;
        return this;
    }

    /** The variant that speed-ups are relative to (default: the first, if it is not parametric). */
    public Benchmark baseline(String label) {
        this.baseline = Objects.requireNonNull(label, "label");
        return this;
    }

    /** What the chart's whiskers span (default {@link Spread#MIN_MAX}). */
    public Benchmark spread(Spread spread) {
        this.spread = Objects.requireNonNull(spread, "spread");
        return this;
    }

    /** Whether to show progress and the final chart in the cell's output (default true). */
    public Benchmark display(boolean show) {
        this.show = show;
        return this;
    }

    /**
     * Runs every variant (warm-up, then measured runs), then shows the chart and table in place
     * of the progress line, and returns the data.
     *
     * @throws IllegalStateException when no variant was added
     */
    public BenchmarkResult run() {
        if (variants.isEmpty()) throw new IllegalStateException("add a variant first: .variant(\"name\", () -> ...)");
        if (baseline != null && variants.stream().noneMatch(v -> v.label().equals(baseline))) {
            throw new IllegalArgumentException("baseline '" + baseline + "' is not a variant");
        }
        boolean sweeping = parameters != null;
        int[] params = sweeping ? parameters : new int[] {1};
        int perRun = warmup + repetitions;
        int total = 0;
        for (Variant v : variants) total += (v.parametric() ? params.length : 1) * perRun;

        Map<String, Map<Integer, double[][]>> data = new LinkedHashMap<>();
        for (Variant v : variants) data.put(v.label(), new LinkedHashMap<>());
        Map<String, Load> loads = new LinkedHashMap<>();   // over each variant's measured runs
        Progress progress = Progress.start(show, title + ": starting");
        int done = 0;
        String where = "";
        try {
            for (int pi = 0; pi < params.length; pi++) {
                int p = params[pi];
                for (Variant v : variants) {
                    if (!v.parametric() && pi > 0) continue;
                    where = v.label() + (sweeping && v.parametric() ? " (" + parameterName + "=" + p + ")" : "");
                    for (int w = 0; w < warmup; w++) {
                        progress.update(title + ": " + where + ": warm-up " + (w + 1) + "/" + warmup, done, total);
                        for (int k = 0; k < loops; k++) run(v.body(), p);
                        done++;
                    }
                    double[] wall = new double[repetitions];
                    double[] cpu = new double[repetitions];
                    for (int r = 0; r < repetitions; r++) {
                        progress.update(title + ": " + where + ": rep " + (r + 1) + "/" + repetitions, done, total);
                        Measurement m = Measurement.start();
                        for (int k = 0; k < loops; k++) run(v.body(), p);
                        TimeReport t = m.stop();
                        wall[r] = t.wallSeconds() / loops;
                        loads.merge(v.label(), t.load(), Load::plus);
                        cpu[r] = t.hasProcessCpu() ? t.cpuSeconds() / loops : Double.NaN;
                        done++;
                    }
                    data.get(v.label()).put(v.parametric() && sweeping ? p : BenchmarkResult.ANY, new double[][] {wall, cpu});
                }
            }
        } catch (RuntimeException | Error e) {
            String stoppedAt = where;
            int runsDone = done;
            int runsTotal = total;
            progress.finish(() -> title + ": stopped at " + stoppedAt + " after " + runsDone + " of " + runsTotal
                    + " runs: " + e);
            throw e;
        }
        List<BenchmarkResult.VariantData> list = new ArrayList<>();
        for (Variant v : variants) {
            list.add(new BenchmarkResult.VariantData(v.label(), v.parametric() && sweeping, false, data.get(v.label())));
        }
        String base = baseline;
        if (base == null && (!sweeping || !variants.get(0).parametric())) base = variants.get(0).label();
        BenchmarkResult result = new BenchmarkResult(title, sweeping ? parameterName : null,
                sweeping ? parameters.clone() : new int[0], list, warmup, repetitions, loops, spread, base, loads);
        progress.finish(result::toMimeBundle);
        return result;
    }

    private static void run(SweepWork body, int parameter) {
        Work.runUnchecked(() -> body.run(parameter));
    }
}
