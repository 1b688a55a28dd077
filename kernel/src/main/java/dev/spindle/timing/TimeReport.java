package dev.spindle.timing;

import dev.spindle.facts.Load;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Wall and CPU times of one run, as {@code %%time} prints them. CPU time counts every thread of
 * the kernel process plus child processes, so {@link #parallelism()} (CPU ÷ wall) says how many
 * cores were busy on average: about 1 for sequential code, about N for N busy threads.
 *
 * @param wall elapsed wall-clock time
 * @param processCpu CPU time of the kernel process (all threads), or a negative duration when the
 *     JVM cannot measure it
 * @param childCpu CPU time of child processes reported by {@link ChildCpuSource}s
 * @param compile time spent compiling cell code during the run (see {@link CompileTime}): it is
 *     left out of {@code wall} and {@code processCpu}, so they are the times of running the code
 * @param load how busy other programs kept the machine meanwhile (for
 *     {@code Claim.needsCores(cores, report.load())}); unknown when not watched
 */
public record TimeReport(Duration wall, Duration processCpu, Duration childCpu, Duration compile, Load load) {
    /** Checks that no time is missing. */
    public TimeReport {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(processCpu, "processCpu");
        Objects.requireNonNull(childCpu, "childCpu");
        Objects.requireNonNull(compile, "compile");
        Objects.requireNonNull(load, "load");
    }

    /** A report of a run that compiled nothing, without a load figure (the load is unknown). */
    public TimeReport(Duration wall, Duration processCpu, Duration childCpu) {
        this(wall, processCpu, childCpu, Duration.ZERO);
    }

    /** A report without a load figure (the load is unknown). */
    public TimeReport(Duration wall, Duration processCpu, Duration childCpu, Duration compile) {
        this(wall, processCpu, childCpu, compile, Load.unknown(wall.toNanos() / 1e9));
    }

    /** A report of a run that compiled nothing, with the machine's load during it. */
    public TimeReport(Duration wall, Duration processCpu, Duration childCpu, Load load) {
        this(wall, processCpu, childCpu, Duration.ZERO, load);
    }

    /** This report with the machine's load during it. */
    public TimeReport withLoad(Load load) {
        return new TimeReport(wall, processCpu, childCpu, compile, load);
    }

    /** A report from nanosecond counts; {@code processCpuNanos < 0} means "not measurable". */
    public static TimeReport ofNanos(long wallNanos, long processCpuNanos, long childCpuNanos) {
        return ofNanos(wallNanos, processCpuNanos, childCpuNanos, 0);
    }

    /** As {@link #ofNanos(long, long, long)}, with the compile time left out of the others. */
    public static TimeReport ofNanos(long wallNanos, long processCpuNanos, long childCpuNanos, long compileNanos) {
        return new TimeReport(Duration.ofNanos(wallNanos), Duration.ofNanos(processCpuNanos),
                Duration.ofNanos(childCpuNanos), Duration.ofNanos(Math.max(0, compileNanos)));
    }

    /** True when the process CPU time could be measured. */
    public boolean hasProcessCpu() {
        return !processCpu.isNegative();
    }

    /** Process plus child CPU time (child only when the process CPU time is unknown). */
    public Duration totalCpu() {
        return hasProcessCpu() ? processCpu.plus(childCpu) : childCpu;
    }

    /** Wall time in seconds. */
    public double wallSeconds() {
        return wall.toNanos() / 1e9;
    }

    /** Total CPU time in seconds. */
    public double cpuSeconds() {
        return totalCpu().toNanos() / 1e9;
    }

    /**
     * Total CPU time divided by wall time: the average number of busy cores. NaN when the wall
     * time is zero or the process CPU time is unknown.
     */
    public double parallelism() {
        if (wall.isZero() || !hasProcessCpu()) return Double.NaN;
        return (double) totalCpu().toNanos() / wall.toNanos();
    }

    /**
     * {@code CPU times: process 1.92 s, children 0 ns, total 1.92 s; Wall time: 1.01 s;
     * parallelism 1.90x}, and when cell code was compiled during the run, a second line
     * {@code Compile time: 24.1 ms} (not counted in the first).
     */
    @Override
    public String toString() {
        String process = hasProcessCpu() ? fmt(processCpu) : "n/a";
        double p = parallelism();
        return "CPU times: process " + process + ", children " + fmt(childCpu) + ", total " + fmt(totalCpu())
                + "; Wall time: " + fmt(wall)
                + "; parallelism " + (Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.2fx", p))
                + (compile.isZero() ? "" : "\nCompile time: " + fmt(compile));
    }

    private static String fmt(Duration d) {
        return TimeFormat.format(d.toNanos() / 1e9);
    }
}
