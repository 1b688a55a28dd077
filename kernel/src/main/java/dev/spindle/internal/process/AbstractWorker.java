package dev.spindle.internal.process;

import dev.spindle.concurrent.Worker;
import dev.spindle.concurrent.WorkerFailedException;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * State every kind of worker shares: the cell that started it, start/end, result or failure, and
 * its place among the runtime's live workers. Thread workers (in the API package) extend it too.
 */
public abstract class AbstractWorker<T> implements Worker<T> {
    protected final String name;
    final WorkerRuntime runtime;
    /** The cell that created it: its output goes there, and interrupting that cell stops it. */
    final CellContext cell = CellContexts.current();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean started;
    /** A stop was asked for while it ran (or was still starting). */
    private volatile boolean stopRequested;
    private volatile T result;
    private volatile Throwable failure;
    private volatile Integer exitCode;

    protected AbstractWorker(WorkerRuntime runtime, String name) {
        this.runtime = runtime;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public final synchronized Worker<T> start() {
        if (started) throw new IllegalStateException("worker '" + name + "' was already started");
        started = true;
        runtime.started(this);
        try {
            launch();
        } catch (RuntimeException | Error e) {
            finish(null, e, 1);
            throw e;
        }
        // A stop that came while it launched (an interrupt of its cell, stopAll) found nothing to
        // stop yet: the thread or child JVM did not exist. It exists now. Likewise when the thread
        // starting it belongs to an interrupted cell that has not unwound yet.
        if (stopRequested || runtime.stopped(CellContexts.current())) requestStop();
        return this;
    }

    /** Stops it for the kernel (an interrupt of its cell, stopAll), also if it is still starting. */
    final void requestStop() {
        stopRequested = true;
        stop();
    }

    /** Begins the work; returns at once. */
    protected abstract void launch();

    /** Records how the work ended; the first call wins. */
    protected final void finish(T value, Throwable error, int code) {
        synchronized (this) {
            if (done.getCount() == 0) return;
            result = value;
            failure = error;
            exitCode = code;
        }
        done.countDown();
        runtime.ended(this);
    }

    /** The process ended with a different code than the one its result implied. */
    protected final void updateExitCode(int code) {
        synchronized (this) {
            if (done.getCount() == 0) exitCode = code;
        }
    }

    @Override
    public void join() throws InterruptedException {
        requireStarted();
        done.await();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        requireStarted();
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isAlive() {
        return started && done.getCount() > 0;
    }

    @Override
    public T result() throws InterruptedException {
        join();
        Throwable f = failure;
        if (f != null) {
            throw new WorkerFailedException(kind().name().toLowerCase() + " '" + name + "' (pid " + pid()
                    + ") failed: " + f, f);
        }
        return result;
    }

    @Override
    public Optional<Throwable> exception() {
        return done.getCount() == 0 ? Optional.ofNullable(failure) : Optional.empty();
    }

    @Override
    public Integer exitCode() {
        return exitCode;
    }

    private void requireStarted() {
        if (!started) throw new IllegalStateException("worker '" + name + "' was not started: call start() first");
    }

    @Override
    public String toString() {
        String state = !started ? "not started" : isAlive() ? "running" : "ended, exit code " + exitCode;
        String origin = cell != null && cell.executionCount() > 0 ? ", started by cell [" + cell.executionCount() + "]" : "";
        return kind().name().toLowerCase() + " '" + name + "' (pid " + pid() + ", " + state + origin + ")";
    }
}
