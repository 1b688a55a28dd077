package dev.spindle.magic;

import dev.spindle.facts.Load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code %%python} cell: wall time and CPU time of the Python process (user and system,
 * including its children), so a chart can put CPython next to Java, and what it printed, so that
 * Java cells can read numbers the Python code measured itself ({@link #number(String)}), and how
 * busy other programs kept the machine meanwhile ({@link #load()}), so that a claim resting on
 * the run can say {@code .needsCores(2, PythonRun.last("cpu").load())}.
 */
public record PythonRun(String label, int exitCode, Duration wall, Duration cpu, String output, Load load) {
    /** A run whose machine load was not watched (unknown). */
    public PythonRun(String label, int exitCode, Duration wall, Duration cpu, String output) {
        this(label, exitCode, wall, cpu, output, Load.unknown(wall.toNanos() / 1e9));
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d[\\d,]*\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

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

    /** The latest run labelled {@code label}; an error naming the labels there are if none. */
    public static PythonRun last(String label) {
        List<PythonRun> all = history();
        for (int i = all.size() - 1; i >= 0; i--) if (all.get(i).label.equals(label)) return all.get(i);
        List<String> labels = all.stream().map(PythonRun::label).distinct().toList();
        throw new IllegalArgumentException("no %%python run labelled '" + label + "' yet (labels so far: " + labels + ")");
    }

    /**
     * The number printed after {@code name} on the last output line that starts with
     * {@code name:} or {@code name =}, e.g. {@code print("threads:", 0.93)} then
     * {@code PythonRun.last("py").number("threads")}. An error if there is no such line.
     */
    public double number(String name) {
        String[] lines = output.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.startsWith(name)) continue;
            String rest = line.substring(name.length()).stripLeading();
            if (!rest.startsWith(":") && !rest.startsWith("=")) continue;
            Matcher m = NUMBER.matcher(rest.substring(1));
            if (m.find()) return Double.parseDouble(m.group().replace(",", ""));
        }
        throw new IllegalArgumentException("the %%python output" + (label.isEmpty() ? "" : " labelled '" + label + "'")
                + " has no line '" + name + ": NUMBER'");
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
