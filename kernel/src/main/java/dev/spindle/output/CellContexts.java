package dev.spindle.output;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Tracks which cell owns the current thread. The value is inherited by threads a cell
 * creates; kernel threads are marked so their stray output goes to the log, never to a cell.
 */
public final class CellContexts {
    private static final InheritableThreadLocal<CellContext> OWNER = new InheritableThreadLocal<>();
    private static final InheritableThreadLocal<Boolean> KERNEL = new InheritableThreadLocal<>();
    private static volatile CellContext running;
    private static volatile CellContext latest;

    private CellContexts() {
    }

    /** Marks the calling thread (and threads it creates) as kernel-internal. */
    public static void markKernelThread() {
        KERNEL.set(Boolean.TRUE);
        OWNER.remove();
    }

    /** Makes {@code cell} the owner of the calling thread and the running cell. */
    public static void enterCell(CellContext cell) {
        KERNEL.remove();
        OWNER.set(cell);
        running = cell;
        latest = cell;
    }

    public static void leaveCell(CellContext cell) {
        if (running == cell) running = null;
    }

    /** Pins the calling thread to {@code cell}, e.g. a pool thread running a cell's task. */
    public static void bind(CellContext cell) {
        KERNEL.remove();
        OWNER.set(cell);
    }

    public static CellContext running() {
        return running;
    }

    /**
     * The cell that owns the calling thread's output, or null for kernel threads. Threads of
     * the common fork-join pool are shared by every cell, so their output goes to the cell
     * running now (or the latest one).
     */
    public static CellContext current() {
        Thread t = Thread.currentThread();
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
            CellContext r = running;
            return r != null ? r : latest;
        }
        CellContext owner = OWNER.get();
        if (owner != null) return owner;
        if (KERNEL.get() != null) return null;
        CellContext r = running;
        return r != null ? r : latest;
    }
}
