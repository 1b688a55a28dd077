package dev.spindle.timing;

import dev.spindle.chart.ChartBundles;

import dev.spindle.chart.TextTable;

import dev.spindle.chart.Chart;

import dev.spindle.facts.Load;

import dev.spindle.output.MimeBundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Speed-ups from a {@link BenchmarkResult}: for each variant (and sweep value), how many times
 * faster it ran than the baseline (median over median; above 1 is faster). Its
 * {@code toString()} is a table; {@link #chart()} draws it.
 */
public final class Speedup {
    private final String title;
    private final String baseline;
    private final String parameterName;
    private final int[] parameters;
    private final Map<String, double[]> values;
    private final double idealBase;
    private final Load load;

    Speedup(String title, String baseline, String parameterName, int[] parameters, Map<String, double[]> values,
            double idealBase, Load load) {
        this.title = title;
        this.baseline = baseline;
        this.parameterName = parameterName;
        this.parameters = parameters.clone();
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.idealBase = idealBase;
        this.load = load;
    }

    /**
     * How busy other programs kept the machine during the measurements behind these speed-ups
     * (the busiest variant's load, see {@link BenchmarkResult#load()}).
     */
    public Load load() {
        return load;
    }

    /** The baseline variant, or null when each variant is compared with itself at the first sweep value. */
    public String baseline() {
        return baseline;
    }

    /** The variants, in order. */
    public List<String> variants() {
        return List.copyOf(values.keySet());
    }

    /** Speed-up of {@code variant} (a benchmark without sweep). */
    public double get(String variant) {
        if (parameterName != null) {
            throw new IllegalArgumentException("this is a sweep over " + parameterName + ": use get(variant, "
                    + parameterName + ")");
        }
        return row(variant)[0];
    }

    /** Speed-up of {@code variant} at sweep value {@code parameter}. */
    public double get(String variant, int parameter) {
        if (parameterName == null) return get(variant);
        double[] r = row(variant);
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == parameter) return r[i];
        }
        throw new IllegalArgumentException(parameter + " is not a sweep value");
    }

    /** Variant to speed-up (a benchmark without sweep). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String v : values.keySet()) m.put(v, get(v));
        return Collections.unmodifiableMap(m);
    }

    /** Variant to (sweep value to speed-up); without a sweep the only key is 1. */
    public Map<String, Map<Integer, Double>> byParameter() {
        Map<String, Map<Integer, Double>> m = new LinkedHashMap<>();
        int[] ps = parameterName == null ? new int[] {1} : parameters;
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            Map<Integer, Double> inner = new LinkedHashMap<>();
            for (int i = 0; i < ps.length; i++) inner.put(ps[i], e.getValue()[i]);
            m.put(e.getKey(), Collections.unmodifiableMap(inner));
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * For a sweep, speed-up against the sweep parameter with a dashed ideal line (y = x for a
     * baseline, y = x / first value when each variant is compared with itself); otherwise bars.
     */
    public Chart chart() {
        String over = baseline != null ? "speed-up over " + baseline : "speed-up over " + parameterName + "=" + parameters[0];
        if (parameterName == null) {
            Chart.BarBuilder b = Chart.bar(title + ": " + over).xLabel("variant").yLabel("speed-up (×)")
                    .valueLabel("speed-up");
            for (Map.Entry<String, double[]> e : values.entrySet()) b.bar(e.getKey(), e.getValue()[0]);
            return b.build();
        }
        Chart.LineBuilder b = Chart.speedup(title + ": " + over).xLabel(parameterName).yLabel("speed-up (×)")
                .ideal(idealBase).subtitle(baseline != null ? "median " + baseline + " time ÷ median time"
                        : "median time at " + parameterName + "=" + parameters[0] + " ÷ median time");
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            for (int i = 0; i < parameters.length; i++) {
                double v = e.getValue()[i];
                if (!Double.isNaN(v) && !Double.isInfinite(v)) b.point(e.getKey(), parameters[i], v);
            }
        }
        return b.build();
    }

    /** The chart, with the table as its text. */
    public MimeBundle toMimeBundle() {
        Chart c = chart();
        return ChartBundles.of(c, toString());
    }

    /** A table of speed-ups: one row per variant, one column per sweep value. */
    @Override
    public String toString() {
        List<String> header = new ArrayList<>();
        header.add("variant");
        int[] ps = parameterName == null ? new int[] {1} : parameters;
        if (parameterName == null) {
            header.add("speed-up");
        } else {
            for (int p : ps) header.add(parameterName + "=" + p);
        }
        String heading = baseline != null ? "speed-up over " + baseline
                : "speed-up over each variant at " + parameterName + "=" + parameters[0];
        TextTable t = new TextTable(title + ": " + heading, header);
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            List<String> row = new ArrayList<>();
            row.add(e.getKey());
            for (double v : e.getValue()) row.add(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v));
            t.row(row);
        }
        return t.toString();
    }

    private double[] row(String variant) {
        double[] r = values.get(variant);
        if (r == null) throw new IllegalArgumentException("no variant '" + variant + "'; variants are " + variants());
        return r;
    }
}
