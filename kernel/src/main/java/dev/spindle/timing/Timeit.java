package dev.spindle.timing;

/**
 * IPython's {@code %timeit} for Java: runs a body in a loop, several times, and reports the
 * time per call as mean ± standard deviation over the runs.
 * <pre>{@code
 * Timeit.run(() -> Math.sqrt(2.0))              // automatic loop count, 7 runs
 * Timeit.run(() -> list.sort(null), 100, 5)     // 100 calls per run, 5 runs
 * }</pre>
 * With an automatic loop count, the count grows 1, 2, 5, 10, 20, 50, ... until one run takes at
 * least 0.2 s; those calibration runs also warm up the JIT and are not reported. Times are per
 * call and include the loop's own small overhead. A body whose result is never used may be
 * optimised away by the JIT: keep a result (e.g. add it to a field).
 */
public final class Timeit {
    /** Runs per measurement when none is given: 7, as in IPython. */
    public static final int DEFAULT_REPEATS = 7;
    /** The shortest run the automatic loop count aims for, in seconds. */
    public static final double AUTO_MIN_RUN_SECONDS = 0.2;
    private static final long MAX_LOOPS = 10_000_000_000L;

    private Timeit() {
    }

    /** Times {@code body} with an automatic loop count and 7 runs. */
    public static TimeitResult run(Work body) {
        return run(body, TimeitOptions.defaults());
    }

    /**
     * Times {@code body}: {@code repeats} runs of {@code loops} calls each ({@code loops <= 0}
     * picks the count automatically).
     */
    public static TimeitResult run(Work body, int loops, int repeats) {
        return run(body, TimeitOptions.defaults().withLoops(Math.max(0, loops)).withRepeats(repeats));
    }

    /** Times {@code body} with the given options (as parsed by {@link #parse(String)}). */
    public static TimeitResult run(Work body, TimeitOptions options) {
        return run(body, options, AUTO_MIN_RUN_SECONDS);
    }

    static TimeitResult run(Work body, TimeitOptions options, double minRunSeconds) {
        long loops = options.loops() > 0 ? options.loops() : autoLoops(body, minRunSeconds);
        double[] runs = new double[options.repeats()];
        for (int r = 0; r < runs.length; r++) runs[r] = timeLoops(body, loops);
        return new TimeitResult(loops, runs, options.precision());
    }

    /** The smallest count in 1, 2, 5, 10, 20, 50, ... whose run takes {@code minRunSeconds}. */
    static long autoLoops(Work body, double minRunSeconds) {
        long n = 1;
        while (true) {
            if (timeLoops(body, n) >= minRunSeconds || n >= MAX_LOOPS) return n;
            n = next(n);
        }
    }

    private static long next(long n) {
        long mag = 1;
        while (mag * 10 <= n) mag *= 10;
        long lead = n / mag;
        return lead == 1 ? 2 * mag : lead == 2 ? 5 * mag : 10 * mag;
    }

    /** Seconds taken by {@code loops} calls of {@code body}. */
    static double timeLoops(Work body, long loops) {
        long t0 = System.nanoTime();
        for (long i = 0; i < loops; i++) Work.runUnchecked(body);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Parses the text after {@code %timeit} (or the first line of {@code %%timeit}): leading
     * options, then the code, which is returned unchanged. Options, as in IPython:
     * {@code -n N} calls per run, {@code -r R} runs, {@code -p P} significant digits,
     * {@code -q} quiet, {@code -o} return the result; {@code -t} and {@code -c} are accepted and
     * ignored (there is only one clock). Values may be attached ({@code -n100}) and flags
     * combined ({@code -qo}); {@code --} ends the options.
     * <pre>{@code
     * Timeit.parse("-n 100 -r 5 Math.sqrt(x)")
     *     // TimeitArgs[options=TimeitOptions[loops=100, repeats=5, ...], code=Math.sqrt(x)]
     * }</pre>
     *
     * @throws IllegalArgumentException for an unknown option or a bad or missing value
     */
    public static TimeitArgs parse(String args) {
        String s = args == null ? "" : args;
        int loops = 0;
        int repeats = DEFAULT_REPEATS;
        int precision = 3;
        boolean quiet = false;
        boolean ret = false;
        int i = 0;
        while (true) {
            int start = skipSpaces(s, i);
            if (start >= s.length() || s.charAt(start) != '-' || start + 1 >= s.length()
                    || Character.isWhitespace(s.charAt(start + 1))) {
                i = start;
                break;
            }
            int end = tokenEnd(s, start);
            String token = s.substring(start, end);
            if (token.equals("--")) {
                i = end;
                break;
            }
            i = end;
            for (int k = 1; k < token.length(); k++) {
                char opt = token.charAt(k);
                if (opt == 'q') {
                    quiet = true;
                } else if (opt == 'o') {
                    ret = true;
                } else if (opt == 't' || opt == 'c') {
                    // IPython's clock choice; System.nanoTime is the only sensible clock here
                } else if (opt == 'n' || opt == 'r' || opt == 'p') {
                    String value = token.substring(k + 1);
                    if (value.isEmpty()) {
                        int vs = skipSpaces(s, i);
                        int ve = tokenEnd(s, vs);
                        if (vs >= s.length()) throw new IllegalArgumentException("option -" + opt + " needs a number");
                        value = s.substring(vs, ve);
                        i = ve;
                    }
                    int v = number(opt, value);
                    if (opt == 'n') {
                        loops = v;
                    } else if (opt == 'r') {
                        repeats = v;
                    } else {
                        precision = v;
                    }
                    break;
                } else {
                    throw new IllegalArgumentException("unknown option -" + opt
                            + " (options: -n N calls per run, -r R runs, -p P digits, -q quiet, -o return result)");
                }
            }
        }
        String code = s.substring(Math.min(i, s.length()));
        return new TimeitArgs(new TimeitOptions(loops, repeats, precision, quiet, ret), code.strip());
    }

    private static int number(char opt, String value) {
        try {
            int v = Integer.parseInt(value.replace("_", ""));
            if (v < 1) throw new IllegalArgumentException("option -" + opt + " must be at least 1, got " + value);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option -" + opt + " needs a whole number, got '" + value + "'");
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static int tokenEnd(String s, int i) {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }
}
