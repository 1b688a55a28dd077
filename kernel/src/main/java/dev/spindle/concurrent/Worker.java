package dev.spindle.concurrent;

import java.time.Duration;
import java.util.Optional;

/**
 * One unit of work on a thread, a virtual thread or a child JVM, with the same methods for
 * all three (the vocabulary of Python's {@code Thread} and {@code Process}):
 * <pre>{@code
 * var w = Workers.process("p1", () -> ProcessHandle.current().pid());
 * w.start();
 * w.join();
 * w.result();   // the child's pid; w.pid() says the same
 * }</pre>
 *
 * @param <T> the result type ({@code Void} for a {@link Job})
 */
public interface Worker<T> {

    /** The worker's name (the thread's name, or the child's main thread name). */
    String name();

    /** Thread, virtual thread or process. */
    WorkerKind kind();

    /** Starts the work and returns at once. A worker starts once. */
    Worker<T> start();

    /** Waits until the work has finished (or the process has ended). */
    void join() throws InterruptedException;

    /** Waits at most {@code timeout}; true if the work finished. */
    boolean join(Duration timeout) throws InterruptedException;

    /** True from {@link #start()} until the work ends. */
    boolean isAlive();

    /**
     * Waits for the work and returns its result; throws {@link WorkerFailedException} (with the
     * original exception as its cause) if it failed, was stopped, or the child JVM died.
     */
    T result() throws InterruptedException;

    /** The exception the work ended with, once it has ended; empty if it succeeded or runs. */
    Optional<Throwable> exception();

    /** The process id: the child's own for a process, the kernel's for a thread. */
    long pid();

    /**
     * The exit code once ended: for a process, the child JVM's ({@code 0} success, {@code 1} an
     * exception, {@code n} for {@code System.exit(n)}, {@code 128+signal} if killed); for a
     * thread {@code 0} or {@code 1} likewise. Null while it runs or before it starts.
     */
    Integer exitCode();

    /** Stops the work: interrupts a thread; ends a child JVM (politely, then by force). */
    void stop();
}
