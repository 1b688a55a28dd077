package dev.spindle.timing;

import dev.spindle.chart.Chart;
import dev.spindle.chart.ChartBundles;
import dev.spindle.chart.Figure;
import dev.spindle.facts.Load;
import dev.spindle.output.MimeBundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The measurements of a {@link Benchmark}: per variant (and per sweep value) the samples in
 * seconds, their statistics, CPU/wall parallelism and speed-ups. Immutable; keep it in a
 * variable to compare, add outside measurements ({@link #withExternal(String, List)}) or chart
 * it again. Its {@code toString()} is the table.
 * <pre>{@code
 * r.median("threads")                 // seconds
 * r.stats("threads", 4).p75()         // a sweep: at workers = 4
 * r.speedup("sequential").get("threads", 8)
 * r.withExternal("CPython threads", List.of(1.91, 1.88, 1.95)).barChart()
 * }</pre>
 */
public final class BenchmarkResult {
    /** Key of the samples of a variant that does not depend on the sweep parameter. */
    static final int ANY = Integer.MIN_VALUE;

    /**
     * One variant's samples: {@code samples.get(param)} is {@code {wallSeconds[], cpuSeconds[]}}
     * (cpu NaN when unknown), keyed by {@link #ANY} when the variant does not depend on it.
     */
    record VariantData(String label, boolean parametric, boolean external, Map<Integer, double[][]> samples) {
        VariantData {
            samples = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
        }

        double[][] at(int parameter) {
            return parametric ? samples.get(parameter) : samples.get(ANY);
        }
    }

    private final String title;
    private final String parameterName;
    private final int[] parameters;
    private final List<VariantData> variants;
    private final int warmup;
    private final int repetitions;
    private final int loops;
    private final Spread spread;
    private final String baseline;
    /** Load during each measured variant's runs; outside measurements have none. */
    private final Map<String, Load> loads;

    /** A result whose loads were not watched (built from given samples). */
    BenchmarkResult(String title, String parameterName, int[] parameters, List<VariantData> variants,
            int warmup, int repetitions, int loops, Spread spread, String baseline) {
        this(title, parameterName, parameters, variants, warmup, repetitions, loops, spread, baseline, Map.of());
    }

    BenchmarkResult(String title, String parameterName, int[] parameters, List<VariantData> variants,
            int warmup, int repetitions, int loops, Spread spread, String baseline, Map<String, Load> loads) {
        this.title = title;
        this.parameterName = parameterName;
        this.parameters = parameters.clone();
        this.variants = List.copyOf(variants);
        this.warmup = warmup;
        this.repetitions = repetitions;
        this.loops = loops;
        this.spread = spread;
        this.baseline = baseline;
        this.loads = Collections.unmodifiableMap(new LinkedHashMap<>(loads));
    }

    /** The benchmark's title. */
    public String title() {
        return title;
    }

    /** True when the benchmark swept a parameter. */
    public boolean isSweep() {
        return parameterName != null;
    }

    /** The swept parameter's name (e.g. {@code "workers"}), or null without a sweep. */
    public String parameterName() {
        return parameterName;
    }

    /** The sweep values in order; empty without a sweep. */
    public List<Integer> parameters() {
        List<Integer> l = new ArrayList<>();
        for (int p : parameters) l.add(p);
        return Collections.unmodifiableList(l);
    }

    /** Variant labels in the order they were added (outside measurements last). */
    public List<String> variants() {
        List<String> l = new ArrayList<>();
        for (VariantData v : variants) l.add(v.label());
        return Collections.unmodifiableList(l);
    }

    /** True when {@code variant} takes the sweep parameter (false for plain and outside ones). */
    public boolean isParametric(String variant) {
        return find(variant).parametric();
    }

    /** Warm-up runs per variant. */
    public int warmup() {
        return warmup;
    }

    /** Measured runs per variant (and sweep value). */
    public int repetitions() {
        return repetitions;
    }

    /** What chart whiskers span. */
    public Spread spread() {
        return spread;
    }

    /** The default baseline for speed-ups, or null when each variant is its own (sweeps). */
    public String baseline() {
        return baseline;
    }

    /**
     * How busy other programs kept the machine while {@code variant}'s measured runs ran (see
     * {@link Load}); unknown for an outside measurement.
     */
    public Load load(String variant) {
        find(variant);
        Load l = loads.get(variant);
        return l != null ? l : Load.unknown(0);
    }

    /**
     * The load of the variant that had the fewest cores free: what a claim resting on this result
     * must allow for, e.g. {@code claim.needsCores(2, result.load())}.
     */
    public Load load() {
        Load worst = null;
        for (Load l : loads.values()) {
            if (worst == null || !worst.known() || (l.known() && l.freeCores() < worst.freeCores())) worst = l;
        }
        return worst != null ? worst : Load.unknown(0);
    }

    /** Seconds per run of {@code variant} (a variant that does not depend on the sweep). */
    public List<Double> samples(String variant) {
        return toList(wall(find(variant), null));
    }

    /** Seconds per run of {@code variant} at sweep value {@code parameter}. */
    public List<Double> samples(String variant, int parameter) {
        return toList(wall(find(variant), parameter));
    }

    /** Statistics of {@code variant}'s seconds per run. */
    public Stats stats(String variant) {
        return Stats.of(wall(find(variant), null));
    }

    /** Statistics of {@code variant}'s seconds per run at sweep value {@code parameter}. */
    public Stats stats(String variant, int parameter) {
        return Stats.of(wall(find(variant), parameter));
    }

    /** Median seconds per run of {@code variant}. */
    public double median(String variant) {
        return stats(variant).median();
    }

    /** Median seconds per run of {@code variant} at sweep value {@code parameter}. */
    public double median(String variant, int parameter) {
        return stats(variant, parameter).median();
    }

    /**
     * CPU time ÷ wall time over all of {@code variant}'s runs: about how many cores it kept busy.
     * NaN for outside measurements.
     */
    public double parallelism(String variant) {
        return parallelism(find(variant), null);
    }

    /** Like {@link #parallelism(String)}, at sweep value {@code parameter}. */
    public double parallelism(String variant, int parameter) {
        return parallelism(find(variant), parameter);
    }

    /**
     * Speed-up of every variant over {@code baseline}: the baseline's median time divided by the
     * variant's, at each sweep value (a baseline that does not depend on the sweep is the same
     * for all values).
     */
    public Speedup speedup(String baseline) {
        VariantData base = find(baseline);
        Map<String, double[]> values = new LinkedHashMap<>();
        int[] ps = paramsOrOne();
        for (VariantData v : variants) {
            double[] s = new double[ps.length];
            for (int i = 0; i < ps.length; i++) {
                Integer p = isSweep() ? ps[i] : null;
                s[i] = median(base, p) / median(v, p);
            }
            values.put(v.label(), s);
        }
        return new Speedup(title, baseline, parameterName, parameters, values, 1, load());
    }

    /**
     * Speed-up over the default baseline: the one set with {@link Benchmark#baseline(String)},
     * else the first variant when it does not depend on the sweep; otherwise, in a sweep, each
     * variant relative to itself at the first sweep value (strong scaling).
     */
    public Speedup speedup() {
        if (baseline != null) return speedup(baseline);
        if (!isSweep()) return speedup(variants.get(0).label());
        Map<String, double[]> values = new LinkedHashMap<>();
        for (VariantData v : variants) {
            double first = median(v, parameters[0]);
            double[] s = new double[parameters.length];
            for (int i = 0; i < parameters.length; i++) s[i] = first / median(v, parameters[i]);
            values.put(v.label(), s);
        }
        return new Speedup(title, null, parameterName, parameters, values, parameters[0], load());
    }

    /** The main chart: bars with spread, or time against the sweep parameter for a sweep. */
    public Chart chart() {
        return isSweep() ? lineChart() : barChart();
    }

    /**
     * Median time per variant as bars with whiskers ({@link #spread()}); in a sweep, bars grouped
     * by sweep value.
     */
    public Chart barChart() {
        return BenchmarkCharts.barChart(this);
    }

    /**
     * Median time against the sweep parameter, one line per variant (flat for variants that do
     * not depend on it), with whiskers.
     *
     * @throws IllegalStateException without a sweep
     */
    public Chart lineChart() {
        return BenchmarkCharts.lineChart(this);
    }

    /** Speed-up over {@code baseline}: against the sweep parameter with an ideal line, or bars. */
    public Chart speedupChart(String baseline) {
        return speedup(baseline).chart();
    }

    /** Speed-up over the default baseline (see {@link #speedup()}). */
    public Chart speedupChart() {
        return speedup().chart();
    }

    /** What {@link Benchmark#run()} shows: the bar chart, or for a sweep time and speed-up side by side. */
    public Figure figure() {
        return isSweep() ? Figure.row(lineChart(), speedupChart()) : barChart();
    }

    /**
     * The table: per variant (and sweep value) median, p25, p75, min and max in one time unit,
     * CPU/wall parallelism and speed-up over the default baseline.
     */
    public String table() {
        return BenchmarkCharts.table(this);
    }

    /**
     * This result plus an outside measurement (e.g. timed in CPython by {@code %%python}) as a
     * variant that does not depend on the sweep.
     *
     * @param label the new variant's label
     * @param secondsSamples seconds per run, one value per run
     */
    public BenchmarkResult withExternal(String label, List<Double> secondsSamples) {
        Map<Integer, double[][]> m = new LinkedHashMap<>();
        m.put(ANY, external(secondsSamples));
        return with(new VariantData(label, false, true, m));
    }

    /**
     * This result plus an outside measurement taken at each sweep value.
     *
     * @param label the new variant's label
     * @param samplesByParameter seconds per run, for some or all of the sweep values
     * @throws IllegalStateException without a sweep
     */
    public BenchmarkResult withExternal(String label, Map<Integer, List<Double>> samplesByParameter) {
        requireSweep("withExternal(label, Map)");
        Map<Integer, double[][]> m = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Double>> e : samplesByParameter.entrySet()) {
            if (Arrays.stream(parameters).noneMatch(p -> p == e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is not a sweep value; they are " + parameters());
            }
            m.put(e.getKey(), external(e.getValue()));
        }
        return with(new VariantData(label, true, true, m));
    }

    /** This result, charted with other whiskers. */
    public BenchmarkResult withSpread(Spread spread) {
        return new BenchmarkResult(title, parameterName, parameters, variants, warmup, repetitions, loops,
                Objects.requireNonNull(spread), baseline, loads);
    }

    /** The {@link #figure()} as Vega-Lite and SVG, with {@link #table()} as its text. */
    public MimeBundle toMimeBundle() {
        Figure f = figure();
        return ChartBundles.of(f, table());
    }

    /** The {@link #table()}. */
    @Override
    public String toString() {
        return table();
    }

    // ---------------------------------------------------------------- internals

    /** The sweep values, not copied: for {@link BenchmarkCharts}, which only reads them. */
    int[] sweepValues() {
        return parameters;
    }

    List<VariantData> variantData() {
        return variants;
    }

    int loops() {
        return loops;
    }

    private BenchmarkResult with(VariantData v) {
        Objects.requireNonNull(v.label(), "label");
        if (variants.stream().anyMatch(w -> w.label().equals(v.label()))) {
            throw new IllegalArgumentException("there is already a variant '" + v.label() + "'");
        }
        List<VariantData> list = new ArrayList<>(variants);
        list.add(v);
        return new BenchmarkResult(title, parameterName, parameters, list, warmup, repetitions, loops, spread, baseline,
                loads);
    }

    private static double[][] external(List<Double> seconds) {
        if (seconds.isEmpty()) throw new IllegalArgumentException("no samples");
        double[] wall = new double[seconds.size()];
        double[] cpu = new double[wall.length];
        for (int i = 0; i < wall.length; i++) {
            wall[i] = Objects.requireNonNull(seconds.get(i), "sample");
            cpu[i] = Double.NaN;
        }
        return new double[][] {wall, cpu};
    }

    private VariantData find(String label) {
        for (VariantData v : variants) {
            if (v.label().equals(label)) return v;
        }
        throw new IllegalArgumentException("no variant '" + label + "'; variants are " + variants());
    }

    /** Samples of {@code v} at {@code parameter} (null: a variant that does not depend on it). */
    private double[] wall(VariantData v, Integer parameter) {
        return samplesAt(v, parameter)[0];
    }

    private double[][] samplesAt(VariantData v, Integer parameter) {
        if (parameter == null) {
            if (v.parametric()) {
                throw new IllegalArgumentException("'" + v.label() + "' was measured per " + parameterName
                        + "; pass one of " + parameters() + " as the second argument");
            }
            return v.samples().get(ANY);
        }
        if (!isSweep()) throw new IllegalArgumentException("this benchmark has no sweep; leave out the parameter");
        if (Arrays.stream(parameters).noneMatch(p -> p == parameter)) {
            throw new IllegalArgumentException(parameter + " is not a sweep value; they are " + parameters());
        }
        double[][] d = v.at(parameter);
        if (d == null) throw new IllegalArgumentException("'" + v.label() + "' has no samples at " + parameterName + "=" + parameter);
        return d;
    }

    Stats stats(VariantData v, Integer parameter) {
        return Stats.of(wall(v, v.parametric() ? parameter : null));
    }

    private double median(VariantData v, Integer parameter) {
        if (v.parametric() && v.at(parameter) == null) return Double.NaN;
        return stats(v, parameter).median();
    }

    double parallelism(VariantData v, Integer parameter) {
        // a ratio of sums, not a median of ratios: CPU clocks tick coarsely, and summing first
        // averages the rounding out over all runs
        double[][] d = samplesAt(v, v.parametric() ? parameter : null);
        double wall = 0;
        double cpu = 0;
        for (int i = 0; i < d[0].length; i++) {
            if (Double.isNaN(d[1][i])) return Double.NaN;
            wall += d[0][i];
            cpu += d[1][i];
        }
        return wall > 0 ? cpu / wall : Double.NaN;
    }

    int[] paramsOrOne() {
        return isSweep() ? parameters : new int[] {1};
    }

    void requireSweep(String what) {
        if (!isSweep()) throw new IllegalStateException(what + " needs a sweep: Benchmark.sweep(\"workers\", 1, 2, 4, 8)");
    }

    private static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double v : a) l.add(v);
        return Collections.unmodifiableList(l);
    }
}
