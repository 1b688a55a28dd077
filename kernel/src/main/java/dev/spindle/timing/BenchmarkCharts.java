package dev.spindle.timing;

import dev.spindle.chart.Chart;
import dev.spindle.chart.TextTable;
import dev.spindle.timing.BenchmarkResult.VariantData;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.spindle.timing.BenchmarkResult.ANY;

/**
 * How a {@link BenchmarkResult} is drawn: its bar and line charts of median time with whiskers,
 * and its table. The result keeps the data and the statistics; this reads them.
 */
final class BenchmarkCharts {
    private BenchmarkCharts() {
    }

    static Chart barChart(BenchmarkResult r) {
        String title = r.title(), parameterName = r.parameterName();
        Spread spread = r.spread();
        int[] parameters = r.sweepValues();
        List<VariantData> variants = r.variantData();
        TimeFormat.Unit u = unit(r);
        Chart.BarBuilder b = Chart.bar(title).yLabel("time (" + u.symbol() + ")")
                .valueLabel("median").spreadLabel(spread.label()).subtitle(subtitle(r));
        if (!r.isSweep()) {
            b.xLabel("variant");
            for (VariantData v : variants) {
                Stats s = r.stats(v, null);
                b.bar(v.label(), u.of(s.median()), u.of(spread.low(s)), u.of(spread.high(s)));
            }
        } else {
            b.xLabel(parameterName).legendTitle("variant");
            for (int p : parameters) {
                for (VariantData v : variants) {
                    if (v.at(p) == null) continue;
                    Stats s = r.stats(v, p);
                    b.bar(Integer.toString(p), v.label(), u.of(s.median()), u.of(spread.low(s)), u.of(spread.high(s)));
                }
            }
        }
        return b.build();
    }

    static Chart lineChart(BenchmarkResult r) {
        r.requireSweep("lineChart()");
        String title = r.title(), parameterName = r.parameterName();
        Spread spread = r.spread();
        int[] parameters = r.sweepValues();
        List<VariantData> variants = r.variantData();
        TimeFormat.Unit u = unit(r);
        Chart.LineBuilder b = Chart.line(title).xLabel(parameterName).yLabel("time (" + u.symbol() + ")")
                .spreadLabel(spread.label()).subtitle(subtitle(r)).logX(wideSweep(r));
        for (VariantData v : variants) {
            for (int p : parameters) {
                if (v.at(p) == null) continue;
                Stats s = r.stats(v, p);
                b.point(v.label(), p, u.of(s.median()), u.of(spread.low(s)), u.of(spread.high(s)));
            }
        }
        return b.build();
    }

    static String table(BenchmarkResult r) {
        String title = r.title(), parameterName = r.parameterName();
        int warmup = r.warmup(), repetitions = r.repetitions(), loops = r.loops();
        int[] parameters = r.sweepValues();
        List<VariantData> variants = r.variantData();
        TimeFormat.Unit u = unit(r);
        Speedup sp = r.speedup();
        List<String> header = new ArrayList<>(List.of("variant"));
        if (r.isSweep()) header.add(parameterName);
        header.addAll(List.of("median", "p25", "p75", "min", "max", "CPU/wall",
                sp.baseline() != null ? "speed-up vs " + sp.baseline() : "speed-up vs " + parameterName + "=" + parameters[0]));
        List<Double> all = new ArrayList<>();
        for (VariantData v : variants) {
            for (int p : r.paramsOrOne()) {
                double[][] d = v.at(r.isSweep() ? p : ANY);
                if (d != null) for (double x : d[0]) all.add(u.of(x));
            }
        }
        int dec = TimeFormat.decimalsFor(all, 3);
        String heading = title + ": median of " + repetitions + " run" + (repetitions == 1 ? "" : "s")
                + (loops > 1 ? " of " + loops + " calls" : "")
                + " after " + warmup + " warm-up" + (warmup == 1 ? "" : "s") + ", times in " + u.symbol();
        TextTable t = new TextTable(heading, header);
        for (VariantData v : variants) {
            int[] ps = r.isSweep() && v.parametric() ? parameters : new int[] {r.isSweep() ? parameters[0] : 1};
            for (int p : ps) {
                Integer key = r.isSweep() ? p : null;
                Stats s = r.stats(v, key);
                List<String> row = new ArrayList<>();
                row.add(v.label() + (v.external() ? " (external)" : ""));
                if (r.isSweep()) row.add(v.parametric() ? Integer.toString(p) : "-");
                for (double x : new double[] {s.median(), s.p25(), s.p75(), s.min(), s.max()}) {
                    row.add(TimeFormat.fixed(u.of(x), dec));
                }
                double par = r.parallelism(v, key);
                row.add(Double.isNaN(par) ? "-" : String.format(Locale.ROOT, "%.2fx", par));
                double speed = r.isSweep() ? sp.get(v.label(), p) : sp.get(v.label());
                row.add(Double.isNaN(speed) ? "-" : String.format(Locale.ROOT, "%.2fx", speed));
                t.row(row);
            }
        }
        return t.toString();
    }

    private static TimeFormat.Unit unit(BenchmarkResult r) {
        List<VariantData> variants = r.variantData();
        List<Double> medians = new ArrayList<>();
        for (VariantData v : variants) {
            for (double[][] d : v.samples().values()) medians.add(Stats.of(d[0]).median());
        }
        return TimeFormat.unitForAll(medians);
    }

    private static String subtitle(BenchmarkResult r) {
        Spread spread = r.spread();
        int repetitions = r.repetitions();
        return spread == Spread.MIN_MAX
                ? "median of " + repetitions + " runs · whiskers: min–max"
                : "median of " + repetitions + " runs · whiskers: p25–p75";
    }

    private static boolean wideSweep(BenchmarkResult r) {
        int[] parameters = r.sweepValues();
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int p : parameters) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        return min > 0 && max >= 16L * min;
    }
}
