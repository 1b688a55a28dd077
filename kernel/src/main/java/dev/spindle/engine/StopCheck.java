package dev.spindle.engine;

import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Called by cell code at every method entry and loop back-edge (woven in by
 * {@link CellCodeWeaver}). When a cell is interrupted its output context is marked stopped, and
 * any thread working for that cell that reaches a check ends with {@link CellStoppedError}:
 * the main thread while it runs the cell, the threads the cell started (they inherit its
 * context), pool threads running a task the cell submitted (the pools bind each task to its
 * cell). Threads of other cells are never touched: the work an earlier cell started keeps
 * running, and the main thread runs the next cell under that cell's own context.
 * <p>
 * Public only because woven cell code calls it.
 */
public final class StopCheck {
    private static volatile boolean armed;
    private static final Set<CellContext> STOPPED = ConcurrentHashMap.newKeySet();

    private StopCheck() {
    }

    /** The woven check: one volatile read while nothing is being stopped. */
    public static void check() {
        if (armed) checkSlow();
    }

    private static void checkSlow() {
        CellContext owner = CellContexts.current();
        if (owner != null && STOPPED.contains(owner)) throw new CellStoppedError();
    }

    static synchronized void stop(CellContext cell) {
        STOPPED.add(cell);
        armed = true;
    }

    /** Forgets a stopped cell once none of its threads is alive. */
    static synchronized void forget(CellContext cell) {
        STOPPED.remove(cell);
        armed = !STOPPED.isEmpty();
    }

    static boolean isStopped(CellContext cell) {
        return STOPPED.contains(cell);
    }
}
