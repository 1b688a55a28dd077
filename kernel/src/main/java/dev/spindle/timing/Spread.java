package dev.spindle.timing;

/** What the whiskers of a benchmark chart span around the median. */
public enum Spread {
    /** From the fastest to the slowest sample: shows every outlier (the default). */
    MIN_MAX("min–max"),
    /** From the 25th to the 75th percentile: the middle half, robust to a single outlier. */
    IQR("p25–p75");

    private final String label;

    Spread(String label) {
        this.label = label;
    }

    /** How charts and tables name it, e.g. {@code "min–max"}. */
    public String label() {
        return label;
    }

    double low(Stats s) {
        return this == MIN_MAX ? s.min() : s.p25();
    }

    double high(Stats s) {
        return this == MIN_MAX ? s.max() : s.p75();
    }
}
