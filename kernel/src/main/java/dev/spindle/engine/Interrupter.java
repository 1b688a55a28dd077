package dev.spindle.engine;

import dev.spindle.output.CellContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The interrupt sequence for the running cell: ask politely (woven stop checks, interrupts of
 * the main thread and the cell's threads, stop listeners that end its workers and child JVMs),
 * then force where the JDK allows ({@code Thread.stop}, JDK 17 to 19), then give up on the main
 * thread (a new one runs the next cell) and say so in the cell's error.
 */
final class Interrupter {
    private static final Logger LOG = Logger.getLogger(JShellEngine.class.getName());
    private static final long FORCE_AFTER_MS = 500, ABANDON_AFTER_MS = 2500;

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spindle-interrupt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final List<CellRun> stoppedRuns = new ArrayList<>();
    private final List<Consumer<CellContext>> stopListeners = new CopyOnWriteArrayList<>();
    private volatile CellRun current;
    /** Set by an interrupt that arrives while a cell waits for JShell to finish starting. */
    private volatile boolean waitingForShell, interruptedWhileWaiting;

    void addStopListener(Consumer<CellContext> listener) {
        stopListeners.add(listener);
    }

    void waitingForShell(boolean waiting) {
        waitingForShell = waiting;
    }

    /** The outcome of a cell interrupted while Java was starting, or null if it was not. */
    Outcome.Failure takeInterruptedWhileWaiting() {
        if (!interruptedWhileWaiting) return null;
        interruptedWhileWaiting = false;
        return new Outcome.Failure("Interrupted", "the cell was interrupted before it started",
                List.of("\u001b[0;31mInterrupted\u001b[0m: the cell was interrupted while Java was starting; it did not run."));
    }

    /** {@code run} is the cell that an interrupt stops from now on; null when none runs. */
    void setCurrent(CellRun run) {
        current = run;
    }

    /** Keeps a stopped run until its threads end, and says how it ended. */
    Outcome.Failure stopped(CellRun run) {
        synchronized (stoppedRuns) {
            stoppedRuns.add(run);
        }
        return interrupted(run);
    }

    private Outcome.Failure interrupted(CellRun run) {
        List<String> tb = new ArrayList<>();
        String evalue;
        String live = run.describeLiveThreads();
        if (run.abandoned) {
            evalue = "the cell was interrupted, but its running statement could not be stopped";
            tb.add("\u001b[0;31mInterrupted\u001b[0m: " + evalue + ".");
            tb.add("Still running (inside JDK code, which this JDK cannot stop from within the JVM):");
            tb.add(live.stripTrailing());
            tb.add("The kernel replaced the notebook's main thread: later cells run on a new thread named \"main\"."
                    + " Lost with the old one: its ThreadLocal values, and the locks it holds stay held until it ends.");
            tb.add("What still runs keeps using CPU until it finishes. The kernel is usable; restart it to end it now.");
        } else {
            evalue = "the cell was interrupted";
            if (live.isEmpty()) {
                tb.add("\u001b[0;31mInterrupted\u001b[0m: the cell and the threads it started were stopped.");
            } else {
                // Blocked threads (a deadlock, a lock wait) hold no CPU and cannot be unwound.
                tb.add("\u001b[0;31mInterrupted\u001b[0m: the cell was stopped; these threads it started are still alive:");
                tb.add(live.stripTrailing());
                tb.add("Threads blocked on a lock (e.g. a deadlock) use no CPU; restart the kernel to end them.");
            }
        }
        return new Outcome.Failure("Interrupted", evalue, tb);
    }

    void forgetFinishedStops() {
        synchronized (stoppedRuns) {
            stoppedRuns.removeIf(r -> {
                if (!r.liveThreads().isEmpty()) return false;
                StopCheck.forget(r.cell);
                return true;
            });
        }
    }

    void interrupt() {
        CellRun run = current;
        if (run == null) {
            if (waitingForShell) interruptedWhileWaiting = true;
            return;
        }
        LOG.info(() -> "interrupt: stopping cell " + run.label());
        run.requestStop();
        for (var l : stopListeners) {
            try {
                l.accept(run.cell);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stop listener failed", e);
            }
        }
        watchdog.schedule(() -> {
            if (current == run && run.main.isRunning(run)) {
                boolean forced = run.forceStop();
                LOG.info(() -> "interrupt: forced stop " + (forced ? "sent" : "not available on this JDK"));
            }
        }, FORCE_AFTER_MS, TimeUnit.MILLISECONDS);
        watchdog.schedule(() -> {
            if (current != run) return;
            if (run.main.retire(run)) {
                // The statement still runs: main is given up (the cell's wait for it ends now),
                // and the next cell gets a new main thread.
                run.abandoned = true;
                LOG.warning(() -> "interrupt: replaced the main thread of cell " + run.label() + "\n"
                        + run.describeLiveThreads());
            } else if (waiting(run.runner)) {
                run.runner.interrupt(); // it waits for something other than main's statement
            }
        }, ABANDON_AFTER_MS, TimeUnit.MILLISECONDS);
    }

    private static boolean waiting(Thread t) {
        if (t == null) return false;
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    void close() {
        watchdog.shutdownNow();
    }
}
