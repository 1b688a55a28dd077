package dev.spindle.engine;

import dev.spindle.output.CellContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One execution of a cell: its output context, the tag that marks the threads it starts, the
 * main thread and runner thread it uses, and the stop state.
 * <p>
 * <b>Which threads belong to a cell.</b> Every statement runs on the one {@link MainThread}, so
 * thread groups cannot say which cell started a thread (new threads join their creator's group,
 * and main's group never changes). A cell's threads are found through their context class
 * loader instead: before each statement main's context class loader is set to this run's
 * {@link ContextTag}, a loader that only delegates to the kernel's loader; a thread inherits its
 * creator's context class loader when it is constructed, so every thread a cell starts (and
 * every thread those start) carries the tag, and any thread can read any other thread's tag
 * through public API ({@link Thread#getContextClassLoader()}), safely and on every JDK. Thread
 * pools of the helpers set the submitting cell's tag for each task they run. The alternative,
 * reading the inheritable cell context of another thread by reflection, needs
 * {@code --add-opens java.base/java.lang} and reads a map that is not thread-safe.
 * <p>
 * The woven stop check does not use the tag: it asks whether the current thread's output
 * context is stopped ({@link StopCheck}), which also holds for a thread whose code replaced its
 * own context class loader. The tag is for finding threads from outside: to interrupt the
 * blocked ones, to {@code Thread.stop} them where the JDK allows, and to name those still alive.
 */
final class CellRun {
    final int number;
    final CellContext cell;
    final ContextTag tag;
    /** The main thread its statements run on; set before the first statement. */
    volatile MainThread main;
    volatile Thread runner;
    volatile boolean stopRequested;
    /** Its running statement could not be stopped and main was replaced. */
    volatile boolean abandoned;
    private boolean forced;

    CellRun(int number, CellContext cell, ClassLoader kernelLoader) {
        this.number = number;
        this.cell = cell;
        this.tag = new ContextTag(this, kernelLoader);
    }

    /** "[7]" for a stored cell, "(silent)" for one without an execution count. */
    String label() {
        return number > 0 ? "[" + number + "]" : "(silent)";
    }

    /**
     * First stage of an interrupt: mark the cell stopped (woven checks throw in its threads),
     * and interrupt main if it runs this cell and every thread the cell started, which ends
     * sleeps, waits and blocking queue operations.
     */
    void requestStop() {
        stopRequested = true;
        StopCheck.stop(cell);
        MainThread m = main;
        if (m != null) m.interrupt(this);
        for (Thread t : liveThreads()) t.interrupt();
    }

    /**
     * Second stage, where the JDK still has it (17 to 19): {@code Thread.stop} on main (if it
     * still runs this cell) and on the cell's threads reaches loops inside JDK code, which carry
     * no woven check. Once per run: a second stop could land in the first one's clean-up.
     * Returns false when this JDK cannot stop threads.
     */
    @SuppressWarnings({"deprecation", "removal"})
    synchronized boolean forceStop() {
        if (forced) return true;
        forced = true;
        MainThread m = main;
        if (m != null && !m.forceStop(this)) return false;
        for (Thread t : liveThreads()) {
            try {
                t.stop();
            } catch (UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The live threads this cell started (directly or through its threads), main excluded; a
     * main thread retired while it ran this cell is included. The kernel's own helper threads
     * ("spindle-..."), which a cell's call may start in passing, are never the cell's.
     */
    List<Thread> liveThreads() {
        MainThread m = main;
        Thread current = m == null || m.retired() ? null : m.thread();
        List<Thread> out = new ArrayList<>();
        for (Thread t : notebookThreads()) {
            if (t == current || !t.isAlive() || t.getName().startsWith("spindle-")) continue;
            if (t.getContextClassLoader() == tag) out.add(t);
        }
        return out;
    }

    /** Every platform thread in the notebook's thread group (main and all that cells started). */
    private static List<Thread> notebookThreads() {
        ThreadGroup g = MainThread.NOTEBOOK;
        Thread[] threads;
        int n;
        do {
            threads = new Thread[g.activeCount() + 16];
            n = g.enumerate(threads, true);
        } while (n == threads.length);
        return Arrays.asList(threads).subList(0, n);
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

    /**
     * The context class loader of a cell's threads. It loads nothing itself (every request goes
     * to the loader it wraps, the kernel's), so code that uses the context class loader sees no
     * difference; its identity says which cell started the thread.
     */
    static final class ContextTag extends ClassLoader {
        final CellRun run;

        ContextTag(CellRun run, ClassLoader parent) {
            super("cell-" + (run.number > 0 ? run.number : "silent"), parent);
            this.run = run;
        }

        @Override
        public String toString() {
            return "context class loader of cell " + run.label() + " (delegates to " + getParent() + ")";
        }
    }
}
