package dev.spindle.timing;

import dev.spindle.chart.ChartBundles;

import dev.spindle.chart.Chart;

import dev.spindle.output.MimeBundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Timeit} measured: {@link #repeats()} runs of {@link #loops()} calls each. Its
 * {@code toString()} reads like IPython's:
 * {@code 12.3 µs ± 0.4 µs per loop (mean ± std. dev. of 7 runs, 10,000 loops each)}.
 * Statistics are over the per-call time of each run (run time ÷ loops).
 */
public final class TimeitResult {
    private final long loops;
    private final double[] runs;
    private final double[] timings;
    private final int precision;
    private final Stats stats;

    TimeitResult(long loops, double[] runSeconds, int precision) {
        if (loops < 1) throw new IllegalArgumentException("loops must be >= 1");
        if (runSeconds.length == 0) throw new IllegalArgumentException("at least one run is needed");
        this.loops = loops;
        this.runs = runSeconds.clone();
        this.timings = new double[runs.length];
        for (int i = 0; i < runs.length; i++) timings[i] = runs[i] / loops;
        this.precision = precision;
        this.stats = Stats.of(timings);
    }

    /**
     * A result from run times measured elsewhere: {@code runSeconds} are the total seconds of
     * each run of {@code loops} calls.
     */
    public static TimeitResult of(List<Double> runSeconds, long loops) {
        double[] a = new double[runSeconds.size()];
        for (int i = 0; i < a.length; i++) a[i] = runSeconds.get(i);
        return new TimeitResult(loops, a, 3);
    }

    /** Calls of the body per run. */
    public long loops() {
        return loops;
    }

    /** Number of runs. */
    public int repeats() {
        return runs.length;
    }

    /** Seconds per call, one value per run, in run order. */
    public List<Double> timings() {
        return toList(timings);
    }

    /** Total seconds of each run (IPython's {@code all_runs}). */
    public List<Double> allRuns() {
        return toList(runs);
    }

    /** Mean seconds per call over the runs. */
    public double mean() {
        return stats.mean();
    }

    /** Population standard deviation of the per-call times, in seconds. */
    public double stdev() {
        return stats.stdev();
    }

    /** Median seconds per call. */
    public double median() {
        return stats.median();
    }

    /** Fastest run's seconds per call. */
    public double min() {
        return stats.min();
    }

    /** Slowest run's seconds per call. */
    public double max() {
        return stats.max();
    }

    /** Same as {@link #min()}: the fastest run is the least disturbed one. */
    public double best() {
        return stats.min();
    }

    /** Same as {@link #max()}. */
    public double worst() {
        return stats.max();
    }

    /** All statistics of the per-call times, in seconds. */
    public Stats stats() {
        return stats;
    }

    /**
     * IPython's warning when the slowest run took over 4 times as long as the fastest, or "" when
     * the runs agree. On the JVM the cause is usually JIT compilation or garbage collection.
     */
    public String warning() {
        double best = best();
        double worst = worst();
        if (best > 0 && worst > 4 * best && worst > 1e-6) {
            return String.format(Locale.ROOT, "The slowest run took %.2f times longer than the fastest. "
                    + "This could mean JIT compilation, garbage collection or caching during the slow runs.",
                    worst / best);
        }
        return "";
    }

    /** {@link #warning()} (if any) and the summary line, as {@code %timeit} prints them. */
    public String report() {
        String w = warning();
        return w.isEmpty() ? toString() : w + "\n" + this;
    }

    /** {@code 12.3 µs ± 0.4 µs per loop (mean ± std. dev. of 7 runs, 10,000 loops each)}. */
    @Override
    public String toString() {
        int r = repeats();
        return TimeFormat.format(mean(), precision) + " ± " + TimeFormat.format(stdev(), precision)
                + " per loop (mean ± std. dev. of " + r + " run" + (r == 1 ? "" : "s") + ", "
                + String.format(Locale.ROOT, "%,d", loops) + " loop" + (loops == 1 ? "" : "s") + " each)";
    }

    /** The time per call of each run as bars, which shows JIT warm-up or outlier runs. */
    public Chart chart() {
        TimeFormat.Unit u = TimeFormat.unitFor(max());
        Chart.BarBuilder b = Chart.bar("timeit: " + TimeFormat.format(mean(), precision) + " ± "
                        + TimeFormat.format(stdev(), precision) + " per loop")
                .xLabel("run").yLabel("time per loop (" + u.symbol() + ")").legendTitle("")
                .subtitle(repeats() + " runs of " + String.format(Locale.ROOT, "%,d", loops) + " loops");
        for (int i = 0; i < timings.length; i++) {
            b.bar(Integer.toString(i + 1), "time per loop", u.of(timings[i]), Double.NaN, Double.NaN);
        }
        return b.build();
    }

    /** The chart with {@link #report()} as its text. */
    public MimeBundle toMimeBundle() {
        Chart c = chart();
        return ChartBundles.of(c, report());
    }

    private static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) l.add(v);
        return Collections.unmodifiableList(l);
    }
}
