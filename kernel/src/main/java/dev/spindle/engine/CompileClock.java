package dev.spindle.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Counts the time the engine spends getting cell code ready to run rather than running it:
 * waiting for JShell to start, cutting the cell into snippets, javac, loading the classes.
 * Timings in cells ({@code %%time}, a {@code Measurement} across statements) leave it out,
 * as IPython's {@code %time} leaves out compiling.
 * <p>
 * The thread that evaluates a cell {@linkplain #begin() opens} a preparing segment; the
 * execution control {@linkplain #pause() closes} it the moment cell code starts running and
 * {@linkplain #resume() opens} the next when it returns, so a timing read by the running
 * code already counts the compiling that came before it. Wall time is counted as elapsed;
 * CPU time is the evaluating thread's own.
 */
final class CompileClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long wallNanos, cpuNanos;
    private Thread thread;
    private boolean segmentOpen;
    private long segmentWall, segmentCpu;

    /** Opens a segment on the calling thread (the one about to compile). */
    synchronized void begin() {
        thread = Thread.currentThread();
        open();
    }

    /** Closes the open segment, if any, for good. */
    synchronized void end() {
        close();
        thread = null;
    }

    /** Cell code starts running: the segment so far was preparing. */
    synchronized void pause() {
        close();
    }

    /** Cell code returned: preparing goes on. */
    synchronized void resume() {
        if (thread != null) open();
    }

    /** Adds wall time spent waiting for JShell on behalf of a cell. */
    synchronized void addWait(long nanos) {
        wallNanos += Math.max(0, nanos);
    }

    /** Adds CPU time that background JShell work (start, warm-up) took. */
    synchronized void addCpu(long nanos) {
        cpuNanos += Math.max(0, nanos);
    }

    synchronized long wallNanos() {
        return wallNanos + (segmentOpen ? System.nanoTime() - segmentWall : 0);
    }

    synchronized long cpuNanos() {
        return cpuNanos + (segmentOpen && segmentCpu >= 0 ? Math.max(0, cpuOf(thread) - segmentCpu) : 0);
    }

    /** CPU time of the calling thread so far, or -1 when the JVM cannot tell. */
    static long currentThreadCpu() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    private void open() {
        segmentOpen = true;
        segmentWall = System.nanoTime();
        segmentCpu = cpuOf(thread);
    }

    private void close() {
        if (!segmentOpen) return;
        wallNanos += System.nanoTime() - segmentWall;
        long cpu = cpuOf(thread);
        if (segmentCpu >= 0 && cpu >= 0) cpuNanos += Math.max(0, cpu - segmentCpu);
        segmentOpen = false;
    }

    private static long cpuOf(Thread t) {
        if (t == null) return -1;
        try {
            if (t == Thread.currentThread()) return currentThreadCpu();
            return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(t.getId()) : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }
}
