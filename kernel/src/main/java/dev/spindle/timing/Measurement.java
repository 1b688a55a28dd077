package dev.spindle.timing;

import dev.spindle.facts.Load;

/**
 * A started measurement: readings of the wall, process-CPU and child-CPU clocks taken at
 * {@link #start()}. {@link #stop()} reads them again and reports the differences; it may be
 * called any number of times (each report covers start to that call).
 * <pre>{@code
 * var m = Measurement.start();
 * work();
 * TimeReport r = m.stop();
 * }</pre>
 * The report also says how busy other programs kept the machine meanwhile ({@link TimeReport#load()}).
 */
public final class Measurement {
    /**
     * How far the two process CPU readings may differ and still be the same work: Linux counts
     * process CPU time in clock ticks (10 ms at the usual 100 Hz), plus a little slack.
     */
    private static final long TICK_TOLERANCE_NANOS = 11_000_000L;

    private final long wall0;
    private final long cpu0;
    private final long threads0;
    private final long child0;
    private final long compileWall0 = CompileTime.wallNanos(), compileCpu0 = CompileTime.cpuNanos();
    private final Load.Watch load;

    private Measurement(Load.Watch load, long wall0, long cpu0, long threads0, long child0) {
        this.load = load;
        this.wall0 = wall0;
        this.cpu0 = cpu0;
        this.threads0 = threads0;
        this.child0 = child0;
    }

    /** Reads the clocks now. */
    public static Measurement start() {
        // The load watch first and its stop last: reading /proc stays outside the timed interval.
        Load.Watch load = Load.watch();
        // CPU first, wall last: the wall interval then encloses the CPU one, never the reverse
        long child = Clock.childCpuNanos();
        long cpu = Clock.processCpuNanos();
        long threads = Clock.liveThreadsCpuNanos();
        return new Measurement(load, Clock.wallNanos(), cpu, threads, child);
    }

    /**
     * The times from {@link #start()} until now. Compiling cell code in between (when start and
     * stop are in different statements) is left out of them and reported apart.
     */
    public TimeReport stop() {
        long compileWall = CompileTime.wallNanos() - compileWall0, compileCpu = CompileTime.cpuNanos() - compileCpu0;
        long wall = Clock.wallNanos();
        long threads = Clock.liveThreadsCpuNanos();
        long cpu = Clock.processCpuNanos();
        long child = Clock.childCpuNanos();
        long runCpu = cpuDelta(cpu0, cpu, threads0, threads);
        if (runCpu > 0) runCpu = Math.max(0, runCpu - compileCpu);
        return TimeReport.ofNanos(Math.max(0, wall - wall0 - compileWall), runCpu, Math.max(0, child - child0),
                compileWall).withLoad(load.stop());
    }

    /**
     * The process clock counts every thread, including those that ended, but only in ticks; the
     * live-threads clock is exact but loses threads that ended. When both agree to within a
     * tick no CPU time went missing with an ended thread, and the exact one is used; otherwise
     * the complete one.
     */
    static long cpuDelta(long process0, long process1, long threads0, long threads1) {
        if (process0 < 0 || process1 < 0) return -1;
        long coarse = Math.max(0, process1 - process0);
        if (threads0 < 0 || threads1 < 0) return coarse;
        long exact = threads1 - threads0;
        return exact >= 0 && Math.abs(coarse - exact) <= TICK_TOLERANCE_NANOS ? exact : coarse;
    }
}
