package dev.spindle.timing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The clocks behind every measurement here: wall time, CPU time of the whole kernel process
 * (all its threads, including finished ones) and CPU time of child processes.
 * <pre>{@code
 * TimeReport r = Clock.time(() -> work());
 * System.out.println(r);    // CPU times: process 1.92 s, children 0 s, total 1.92 s; Wall time: ...
 * }</pre>
 */
public final class Clock {
    private static final LongSupplier PROCESS_CPU = processCpuClock();
    private static final LongSupplier THREADS_CPU = liveThreadsClock();

    private Clock() {
    }

    /** Wall-clock nanoseconds from an arbitrary origin ({@link System#nanoTime()}). */
    public static long wallNanos() {
        return System.nanoTime();
    }

    /**
     * CPU nanoseconds used by this JVM process so far, summed over all its threads (user and
     * system time), or -1 when the JVM cannot tell.
     */
    public static long processCpuNanos() {
        return PROCESS_CPU.getAsLong();
    }

    /**
     * CPU nanoseconds of the threads alive now, summed: precise to the nanosecond, unlike
     * {@link #processCpuNanos()}, which Linux counts in 10 ms ticks, but blind to threads that
     * have ended. -1 when the JVM cannot tell.
     */
    static long liveThreadsCpuNanos() {
        return THREADS_CPU.getAsLong();
    }

    /** CPU nanoseconds used so far by child processes, from the {@link ChildCpuSource}s. */
    public static long childCpuNanos() {
        return ChildCpuSource.totalNanos();
    }

    /** Starts a measurement now; {@link Measurement#stop()} gives the times since. */
    public static Measurement start() {
        return Measurement.start();
    }

    /** Runs {@code body} once and reports its wall and CPU times. */
    public static TimeReport time(Work body) {
        Measurement m = Measurement.start();
        Work.runUnchecked(body);
        return m.stop();
    }

    /**
     * The process CPU clock: HotSpot's OperatingSystemMXBean counts every thread that ever ran;
     * the fallback (sum over live threads) is used only on JVMs without jdk.management.
     */
    private static LongSupplier processCpuClock() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    && os.getProcessCpuTime() >= 0) {
                return os::getProcessCpuTime;
            }
        } catch (LinkageError | RuntimeException e) {
            // no jdk.management module: fall through
        }
        return liveThreadsClock();
    }

    private static LongSupplier liveThreadsClock() {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (threads.isThreadCpuTimeSupported()) {
                if (!threads.isThreadCpuTimeEnabled()) threads.setThreadCpuTimeEnabled(true);
                LongSupplier bulk = bulkThreadsClock(threads);
                if (bulk != null) return bulk;
                return () -> {
                    long sum = 0;
                    for (long id : threads.getAllThreadIds()) {
                        long t = threads.getThreadCpuTime(id);
                        if (t > 0) sum += t;
                    }
                    return sum;
                };
            }
        } catch (LinkageError | RuntimeException e) {
            // no CPU clock at all
        }
        return () -> -1;
    }

    /** HotSpot reads all threads' CPU times in one call. */
    private static LongSupplier bulkThreadsClock(ThreadMXBean threads) {
        try {
            if (threads instanceof com.sun.management.ThreadMXBean bulk) {
                return () -> {
                    long sum = 0;
                    for (long t : bulk.getThreadCpuTime(bulk.getAllThreadIds())) {
                        if (t > 0) sum += t;
                    }
                    return sum;
                };
            }
        } catch (LinkageError e) {
            // no jdk.management
        }
        return null;
    }
}
