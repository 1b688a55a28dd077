package dev.spindle.engine;

import dev.spindle.output.CellContexts;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The notebook's main thread: one long-lived platform thread named {@code main} that runs every
 * statement of every cell, as IPython runs every cell on its main thread. Thread-owned state (a
 * {@code ReentrantLock}, a {@code ThreadLocal}, a {@code ProcessLock}) therefore lasts from one
 * statement and one cell to the next.
 * <p>
 * JShell compiles on the cell's runner thread; {@link CellExecutionControl} hands each snippet's
 * code here as a {@link Job} and waits for it. Before a job the thread takes on the cell's
 * identity: its output context (so what it prints goes to the cell) and the cell's context class
 * loader tag (so the threads it starts are known to belong to the cell, see {@link CellRun}).
 * <p>
 * An interrupt reaches the job of the cell being stopped and never a later cell's. If a job
 * cannot be stopped at all (a loop inside JDK code on a JDK without {@code Thread.stop}), the
 * thread is retired: it finishes that job on its own, takes no more, and the next cell gets a
 * new main thread.
 */
final class MainThread {
    /**
     * The group of the main thread and so of every thread cell code starts (threads inherit the
     * group of their creator). Its only job is what a plain JVM does with an uncaught exception.
     */
    static final ThreadGroup NOTEBOOK = new NotebookThreadGroup();

    private final Thread thread;
    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    /** The job running now; guarded by {@code this} together with the interrupts aimed at it. */
    private Job running;
    /** This thread was interrupted by the kernel during the running job (not by cell code). */
    private boolean interruptedByKernel;
    /** Cell code interrupted this thread between jobs: the next job starts with the flag set. */
    private boolean interruptedBetweenJobs;
    private volatile boolean retired;
    /** The tag this thread last set as its context class loader (only this thread uses it). */
    private ClassLoader lastTag;

    MainThread() {
        // No inherited thread-locals: the thread it is created from is a kernel thread. Not a
        // daemon, like a JVM's main thread, so threads cells start are not daemons either.
        thread = new Thread(NOTEBOOK, this::loop, "main", 0, false);
        thread.setDaemon(false);
        thread.setPriority(Thread.NORM_PRIORITY);
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** Replaced, shut down, or (after a forced stop that hit its own loop) ended: takes no more jobs. */
    boolean retired() {
        return retired || !thread.isAlive();
    }

    /** Runs {@code body} as part of {@code run} on this thread; the job completes when it ends. */
    Job submit(CellRun run, Callable<Object> body) {
        Job job = new Job(run, body);
        if (retired()) {
            job.result.completeExceptionally(new IllegalStateException("the main thread was replaced"));
        } else {
            jobs.add(job);
        }
        return job;
    }

    /** Whether this thread is running a job of {@code run} now. */
    synchronized boolean isRunning(CellRun run) {
        return running != null && running.run == run;
    }

    /** Interrupts this thread if it runs a job of {@code run}, so sleeps, waits and blocking queues end. */
    synchronized void interrupt(CellRun run) {
        if (!isRunning(run)) return;
        interruptedByKernel = true;
        thread.interrupt();
    }

    /**
     * {@code Thread.stop} where the JDK still has it (up to 19), if this thread runs a job of
     * {@code run}: it unwinds loops inside JDK code, which carry no woven stop check.
     */
    @SuppressWarnings({"deprecation", "removal"})
    synchronized boolean forceStop(CellRun run) {
        if (!isRunning(run)) return true;
        try {
            thread.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Gives up on this thread if it still runs a job of {@code run}: the job fails at once (so
     * the cell can end), the thread keeps running it but takes no other job, and is renamed so a
     * thread dump shows what it is. Returns whether it was retired.
     */
    synchronized boolean retire(CellRun run) {
        if (!isRunning(run)) return false;
        retired = true;
        // Before the job fails: the cell's error is written as soon as it does, and must say
        // that its statement could not be stopped.
        run.abandoned = true;
        thread.setName("main (replaced after cell " + run.label() + ")");
        running.result.completeExceptionally(new IllegalStateException("the main thread was replaced"));
        return true;
    }

    /** Kernel shutdown: the thread ends once idle (it is not a daemon, like a JVM's main). */
    synchronized void shutdown() {
        retired = true;
        if (running == null) thread.interrupt();
    }

    private void loop() {
        while (!retired) {
            Job job = null;
            try {
                job = jobs.take();
                runJob(job);
            } catch (InterruptedException e) {
                // Cell code (a thread it started) interrupted main between cells; a JVM's main
                // thread would keep the flag, so the next job starts with it.
                synchronized (this) {
                    interruptedBetweenJobs = true;
                }
            } catch (Throwable late) {
                // A Thread.stop that arrived after the job's own code had ended; the job (if it
                // has not reported yet) fails with it, and the thread goes on.
                if (job != null) job.result.completeExceptionally(late);
                endJob();
            }
        }
    }

    private void runJob(Job job) {
        synchronized (this) {
            running = job;
            if (interruptedBetweenJobs) {
                interruptedBetweenJobs = false;
                thread.interrupt();
            }
        }
        Object value = null;
        Throwable failure = null;
        try {
            CellContexts.bind(job.run.cell);
            tagContextLoader(job.run);
            value = job.body.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            endJob();
        }
        if (failure != null) job.result.completeExceptionally(failure);
        else job.result.complete(value);
    }

    /**
     * Main's context class loader becomes the cell's tag, unless cell code set one of its own:
     * that one stays, as it would on a JVM's main thread (threads started meanwhile are then not
     * found by the tag; the woven stop check still reaches them).
     */
    private void tagContextLoader(CellRun run) {
        ClassLoader current = thread.getContextClassLoader();
        if (lastTag == null || current == lastTag) {
            thread.setContextClassLoader(run.tag);
            lastTag = run.tag;
        }
    }

    private synchronized void endJob() {
        running = null;
        // Clear an interrupt the kernel sent the job, so it cannot hit the next cell.
        if (interruptedByKernel) {
            interruptedByKernel = false;
            Thread.interrupted();
        }
    }

    /** One piece of cell code for the main thread, and how it ended. */
    static final class Job {
        final CellRun run;
        final Callable<Object> body;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Job(CellRun run, Callable<Object> body) {
            this.run = run;
            this.body = body;
        }
    }

    /**
     * Uncaught exceptions of the notebook's threads, as in a plain JVM: the default handler if a
     * cell set one ({@code Thread.setDefaultUncaughtExceptionHandler}), else the stack trace on
     * {@code System.err}, which goes to the cell that owns the thread. The kernel's own stop
     * signals ({@link CellStoppedError}, {@code ThreadDeath}) are not errors of the cell.
     */
    private static final class NotebookThreadGroup extends ThreadGroup {
        NotebookThreadGroup() {
            super("notebook");
        }

        @Override
        @SuppressWarnings("removal")
        public void uncaughtException(Thread t, Throwable e) {
            if (e instanceof CellStoppedError || e instanceof ThreadDeath) return;
            Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
            if (handler != null) {
                handler.uncaughtException(t, e);
                return;
            }
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }
}
