package dev.spindle.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One execution of a cell: its thread group (which every thread the cell starts joins), the
 * runner thread that compiles it, and the stop state.
 */
final class CellRun {
    final int number;
    final ThreadGroup group;
    volatile Thread runner;
    volatile Thread snippetThread;
    volatile boolean stopRequested;
    volatile boolean abandoned;
    private int snippets;

    CellRun(int number) {
        this.number = number;
        this.group = new CellThreadGroup("cell-" + number);
    }

    String threadName() {
        return snippets++ == 0 ? "cell-" + number : "cell-" + number + "-" + snippets;
    }

    /**
     * First stage of an interrupt: mark the group stopped (woven checks throw in its threads)
     * and interrupt its threads, which ends sleeps, waits and blocking queue operations.
     */
    void requestStop() {
        stopRequested = true;
        StopCheck.stop(group);
        for (Thread t : liveThreads()) t.interrupt();
    }

    /**
     * Second stage, where the JDK still has it (17 to 19): {@code Thread.stop} on the group
     * reaches loops inside JDK code, which carry no woven check.
     */
    @SuppressWarnings({"deprecation", "removal"})
    boolean forceStop() {
        try {
            group.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    List<Thread> liveThreads() {
        Thread[] threads;
        int n;
        do {
            threads = new Thread[group.activeCount() + 8];
            n = group.enumerate(threads, true);
        } while (n == threads.length);
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) if (threads[i].isAlive()) out.add(threads[i]);
        return out;
    }

    /** Threads of the cell that are still alive, each with where it is, for the error text. */
    String describeLiveThreads() {
        StringBuilder sb = new StringBuilder();
        for (Thread t : liveThreads()) {
            StackTraceElement[] st = t.getStackTrace();
            sb.append("  thread \"").append(t.getName()).append('"');
            if (st.length > 0) sb.append(" in ").append(st[0]);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Uncaught exceptions of a cell's threads are printed to the cell, like a plain JVM does. */
    private static final class CellThreadGroup extends ThreadGroup {
        CellThreadGroup(String name) {
            super(name);
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (e instanceof CellStoppedError) return;
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }
}
