package dev.spindle.magic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Timing of one {@code %%python} cell: wall time and CPU time of the Python process (user and
 * system, including its children), so a chart can put CPython next to Java.
 */
public record PythonRun(String label, int exitCode, Duration wall, Duration cpu) {
    private static final List<PythonRun> HISTORY = Collections.synchronizedList(new ArrayList<>());

    static PythonRun record(PythonRun r) {
        HISTORY.add(r);
        return r;
    }

    /** Every {@code %%python} run of this session, oldest first. */
    public static List<PythonRun> history() {
        synchronized (HISTORY) {
            return List.copyOf(HISTORY);
        }
    }

    /** The latest run, or null. */
    public static PythonRun last() {
        synchronized (HISTORY) {
            return HISTORY.isEmpty() ? null : HISTORY.get(HISTORY.size() - 1);
        }
    }

    /** Runs labelled {@code label}, as wall seconds (for {@code BenchmarkResult.withExternal}). */
    public static List<Double> wallSeconds(String label) {
        List<Double> out = new ArrayList<>();
        for (PythonRun r : history()) if (r.label.equals(label)) out.add(r.wall.toNanos() / 1e9);
        return out;
    }

    /** CPU time divided by wall time: about 1 for CPython threads under the GIL. */
    public double parallelism() {
        return wall.isZero() ? Double.NaN : cpu.toNanos() / (double) wall.toNanos();
    }

    @Override
    public String toString() {
        return String.format("Python%s: wall %.3f s, CPU %.3f s, parallelism %.2fx%s",
                label.isEmpty() ? "" : " [" + label + "]", wall.toNanos() / 1e9, cpu.toNanos() / 1e9, parallelism(),
                exitCode == 0 ? "" : ", exit code " + exitCode);
    }
}
