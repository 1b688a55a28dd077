package dev.spindle.timing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;

/**
 * Formats durations the way IPython's {@code %timeit} does: a few significant digits in the
 * largest unit that keeps the number at or above 1, e.g. {@code 12.3 µs} or {@code 1.92 s}.
 * <pre>{@code
 * TimeFormat.format(0.0000123)   // "12.3 µs"
 * TimeFormat.format(1.5, 2)      // "1.5 s"
 * }</pre>
 */
public final class TimeFormat {
    private static final String[] UNITS = {"s", "ms", "µs", "ns"};
    private static final double[] FACTORS = {1, 1e3, 1e6, 1e9};

    private TimeFormat() {
    }

    /** {@code seconds} with 3 significant digits and a unit (s, ms, µs or ns). */
    public static String format(double seconds) {
        return format(seconds, 3);
    }

    /** {@code seconds} with {@code precision} significant digits and a unit (s, ms, µs or ns). */
    public static String format(double seconds, int precision) {
        if (Double.isNaN(seconds)) return "n/a";
        if (seconds == 0) return "0 ns";
        Unit u = unitFor(Math.abs(seconds));
        return significant(seconds * u.factor(), precision) + " " + u.symbol();
    }

    /**
     * A display unit for times: its symbol (s, ms, µs, ns) and how many of it make a second.
     *
     * @param symbol the unit's symbol, e.g. {@code "ms"}
     * @param factor units per second, e.g. {@code 1000} for ms
     */
    public record Unit(String symbol, double factor) {
        /** {@code seconds} in this unit. */
        public double of(double seconds) {
            return seconds * factor;
        }
    }

    /** The largest unit in which {@code seconds} is at least 1 (ns for anything smaller). */
    public static Unit unitFor(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) return new Unit("s", 1);
        for (int i = 0; i < UNITS.length; i++) {
            // a hair of tolerance so 0.9999999 s still reads as "1 s" rather than "1000 ms"
            if (seconds * FACTORS[i] >= 0.9995) return new Unit(UNITS[i], FACTORS[i]);
        }
        return new Unit("ns", 1e9);
    }

    /** One unit for a set of values, chosen from the largest, so a table or axis reads alike. */
    static Unit unitForAll(Collection<Double> seconds) {
        double max = 0;
        for (double s : seconds) {
            if (s > max && !Double.isInfinite(s)) max = s;
        }
        return unitFor(max);
    }

    /** {@code v} rounded to {@code digits} significant digits, no exponent, no trailing zeros. */
    public static String significant(double v, int digits) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        BigDecimal b = new BigDecimal(v).round(new MathContext(Math.max(1, digits))).stripTrailingZeros();
        double abs = Math.abs(v);
        return abs >= 1e-9 && abs < 1e15 ? b.toPlainString() : b.toString();
    }

    /** {@code v} with a fixed number of decimals, locale-free (tables line up on the point). */
    public static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return new BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Decimals that show {@code digits} significant digits of the smallest non-zero magnitude. */
    public static int decimalsFor(Collection<Double> values, int digits) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            double a = Math.abs(v);
            if (a > 0 && a < min && !Double.isInfinite(a)) min = a;
        }
        if (min == Double.POSITIVE_INFINITY) return 0;
        int exp = (int) Math.floor(Math.log10(min));
        return Math.max(0, Math.min(9, digits - 1 - exp));
    }
}
