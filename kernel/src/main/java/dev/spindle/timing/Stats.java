package dev.spindle.timing;

import java.util.Arrays;
import java.util.List;

/**
 * Summary statistics of a sample (times in seconds, unless the sample was something else).
 * Percentiles interpolate linearly between order statistics, as NumPy does by default.
 *
 * @param n the number of values
 * @param mean the arithmetic mean
 * @param stdev the population standard deviation (as IPython's {@code %timeit} reports it)
 * @param min the smallest value
 * @param p25 the 25th percentile
 * @param median the median (50th percentile)
 * @param p75 the 75th percentile
 * @param max the largest value
 */
public record Stats(int n, double mean, double stdev, double min, double p25, double median, double p75,
        double max) {

    /** Statistics of {@code values}; all NaN for an empty sample. */
    public static Stats of(double... values) {
        int n = values.length;
        if (n == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] s = values.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) sum += v;
        double mean = sum / n;
        double sq = 0;
        for (double v : s) sq += (v - mean) * (v - mean);
        return new Stats(n, mean, Math.sqrt(sq / n), s[0], percentile(s, 25), percentile(s, 50),
                percentile(s, 75), s[n - 1]);
    }

    /** Statistics of {@code values}. */
    public static Stats of(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) a[i] = values.get(i);
        return of(a);
    }

    /** The {@code p}-th percentile (0..100) of already sorted values, linearly interpolated. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        double pos = (sorted.length - 1) * p / 100.0;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Interquartile range, p75 − p25. */
    public double iqr() {
        return p75 - p25;
    }

    /** Each statistic multiplied by {@code factor} (e.g. 1000 for seconds to milliseconds). */
    public Stats scaled(double factor) {
        return new Stats(n, mean * factor, stdev * Math.abs(factor), min * factor, p25 * factor, median * factor,
                p75 * factor, max * factor);
    }
}
