package dev.spindle.concurrent;

import dev.spindle.internal.process.WorkerRuntime;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Start work on a thread, a virtual thread or a child JVM with one shape of API: changing the
 * word changes the mechanism.
 * <pre>{@code
 * var t = Workers.thread("t1", () -> System.out.println("on a thread"));
 * var p = Workers.process("p1", () -> System.out.println("in a child JVM"));
 * t.start(); p.start();
 * t.join(); p.join();
 * }</pre>
 * Output of every worker appears in the cell that started it, even after that cell finished.
 * Interrupting that cell stops its threads and ends its child JVMs; {@link #live()} lists what
 * earlier cells left running and {@link #stopAll()} ends it.
 */
public final class Workers {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Workers() {
    }

    // ---- threads --------------------------------------------------------------------------

    /** A platform thread running {@code job}; call {@link Worker#start()} to run it. */
    public static Worker<Void> thread(String name, Job job) {
        return new ThreadWorker<>(name, asCallable(job), false);
    }

    /** A platform thread computing {@code task}; its value is {@link Worker#result()}. */
    public static <T> Worker<T> thread(String name, Task<T> task) {
        return new ThreadWorker<>(name, task, false);
    }

    /** A platform thread with a generated name ("thread-1", ...). */
    public static Worker<Void> thread(Job job) {
        return thread(nextName("thread"), job);
    }

    /** A platform thread with a generated name, computing {@code task}. */
    public static <T> Worker<T> thread(Task<T> task) {
        return thread(nextName("thread"), task);
    }

    // ---- virtual threads ------------------------------------------------------------------

    /** A virtual thread (Java 21+; a clear error on older JDKs). */
    public static Worker<Void> virtual(String name, Job job) {
        return new ThreadWorker<>(name, asCallable(job), true);
    }

    /** A virtual thread computing {@code task} (Java 21+). */
    public static <T> Worker<T> virtual(String name, Task<T> task) {
        return new ThreadWorker<>(name, task, true);
    }

    /** A virtual thread with a generated name. */
    public static Worker<Void> virtual(Job job) {
        return virtual(nextName("virtual"), job);
    }

    /** A virtual thread with a generated name, computing {@code task}. */
    public static <T> Worker<T> virtual(Task<T> task) {
        return virtual(nextName("virtual"), task);
    }

    // ---- processes ------------------------------------------------------------------------

    /**
     * A child JVM running {@code job}. At {@link Worker#start()} it receives the cells' classes
     * and a copy of the notebook's serializable top-level variables: changes it makes stay in
     * the child. {@code jvmOptions} (e.g. {@code "-Xmx256m"}) add to {@link #jvmOptions}.
     */
    public static Worker<Void> process(String name, Job job, String... jvmOptions) {
        return WorkerRuntime.current().newProcessWorker(name, job, Arrays.asList(jvmOptions));
    }

    /** A child JVM computing {@code task}; the result comes back by serialization. */
    public static <T> Worker<T> process(String name, Task<T> task, String... jvmOptions) {
        return WorkerRuntime.current().newProcessWorker(name, task, Arrays.asList(jvmOptions));
    }

    /** A child JVM with a generated name ("process-1", ...). */
    public static Worker<Void> process(Job job) {
        return process(nextName("process"), job);
    }

    /** A child JVM with a generated name, computing {@code task}. */
    public static <T> Worker<T> process(Task<T> task) {
        return process(nextName("process"), task);
    }

    /** A worker of the given kind: the one-word switch as a value. */
    public static <T> Worker<T> of(WorkerKind kind, String name, Task<T> task) {
        return switch (kind) {
            case THREAD -> thread(name, task);
            case VIRTUAL -> virtual(name, task);
            case PROCESS -> process(name, task);
        };
    }

    /** A worker of the given kind running {@code job}. */
    public static Worker<Void> of(WorkerKind kind, String name, Job job) {
        return switch (kind) {
            case THREAD -> thread(name, job);
            case VIRTUAL -> virtual(name, job);
            case PROCESS -> process(name, job);
        };
    }

    // ---- settings and lifecycle -----------------------------------------------------------

    /** JVM options for every child JVM started from now on, e.g. {@code jvmOptions("-Xmx1g")}. */
    public static void jvmOptions(String... options) {
        WorkerRuntime.current().jvmOptions(Arrays.asList(options));
    }

    /** Prefix each line a child prints with its name and pid (off by default). */
    public static void prefixOutput(boolean on) {
        WorkerRuntime.current().prefixOutput(on);
    }

    /**
     * Keep child JVMs started and idle, so the next process starts in milliseconds (on by
     * default after the first process). One spare, or as many as processes have run at once
     * (two processes started together: two spares), at most one per core and 4; each costs an
     * idle JVM's memory (~40 MB). {@code false} ends the spares.
     */
    public static void keepSpareProcess(boolean on) {
        WorkerRuntime.current().keepSpareProcess(on);
    }

    /**
     * How long spare child JVMs may stay unused before they are ended, freeing their memory
     * (default 60 s; the kernel option {@code -Dspindle.spareIdleSeconds=N} sets the default).
     * The next process worker starts a JVM of its own and the spares come back after it.
     */
    public static void spareIdleTime(java.time.Duration idle) {
        WorkerRuntime.current().spareIdleTime(idle);
    }

    /** Workers that are running now, with the cell that started each. */
    public static List<Worker<?>> live() {
        return WorkerRuntime.current().live();
    }

    /** Process pools that are open now. */
    public static List<Pool> pools() {
        return WorkerRuntime.current().pools();
    }

    /** Stops every live worker and process pool (threads interrupted, child JVMs ended); returns how many. */
    public static int stopAll() {
        return WorkerRuntime.current().stopAll();
    }

    private static String nextName(String kind) {
        return kind + "-" + COUNTER.incrementAndGet();
    }

    private static Callable<Void> asCallable(Runnable r) {
        return () -> {
            r.run();
            return null;
        };
    }
}
