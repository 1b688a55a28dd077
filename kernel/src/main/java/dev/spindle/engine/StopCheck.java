package dev.spindle.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Called by cell code at every method entry and loop back-edge (woven in by
 * {@link CellCodeWeaver}). When a cell is interrupted its thread group is marked stopped and
 * any of its threads that reach a check end with {@link CellStoppedError}. Threads of other
 * cells are never touched: the work an earlier cell started keeps running.
 * <p>
 * Public only because woven cell code calls it.
 */
public final class StopCheck {
    private static volatile boolean armed;
    private static final Set<ThreadGroup> STOPPED = ConcurrentHashMap.newKeySet();

    private StopCheck() {
    }

    /** The woven check: one volatile read while nothing is being stopped. */
    public static void check() {
        if (armed) checkSlow();
    }

    private static void checkSlow() {
        for (ThreadGroup g = Thread.currentThread().getThreadGroup(); g != null; g = g.getParent()) {
            if (STOPPED.contains(g)) throw new CellStoppedError();
        }
    }

    static void stop(ThreadGroup group) {
        STOPPED.add(group);
        armed = true;
    }

    /** Forgets a stopped group once none of its threads is alive. */
    static void forget(ThreadGroup group) {
        STOPPED.remove(group);
        armed = !STOPPED.isEmpty();
    }

    static boolean isStopped(ThreadGroup group) {
        return STOPPED.contains(group);
    }
}
