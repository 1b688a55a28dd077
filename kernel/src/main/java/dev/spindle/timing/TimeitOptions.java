package dev.spindle.timing;

/**
 * Options of {@code %timeit}, as IPython spells them.
 *
 * @param loops calls of the body per run ({@code -n}); 0 picks a count automatically so that one
 *     run takes at least 0.2 s
 * @param repeats runs ({@code -r}), default 7
 * @param precision significant digits in the report ({@code -p}), default 3
 * @param quiet print nothing ({@code -q})
 * @param returnResult make the {@link TimeitResult} the cell's value ({@code -o})
 */
public record TimeitOptions(int loops, int repeats, int precision, boolean quiet, boolean returnResult) {
    /** Checks the ranges. */
    public TimeitOptions {
        if (loops < 0) throw new IllegalArgumentException("loops (-n) must be >= 1, or 0 for automatic");
        if (repeats < 1) throw new IllegalArgumentException("repeats (-r) must be >= 1");
        if (precision < 1 || precision > 15) throw new IllegalArgumentException("precision (-p) must be 1..15");
    }

    /** Automatic loops, 7 runs, 3 digits, printed, no value. */
    public static TimeitOptions defaults() {
        return new TimeitOptions(0, Timeit.DEFAULT_REPEATS, 3, false, false);
    }

    /** These options with {@code -n loops}. */
    public TimeitOptions withLoops(int loops) {
        return new TimeitOptions(loops, repeats, precision, quiet, returnResult);
    }

    /** These options with {@code -r repeats}. */
    public TimeitOptions withRepeats(int repeats) {
        return new TimeitOptions(loops, repeats, precision, quiet, returnResult);
    }
}
