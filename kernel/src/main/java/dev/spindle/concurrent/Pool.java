package dev.spindle.concurrent;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A fixed set of workers of one kind that run many tasks: Python's {@code ThreadPoolExecutor}
 * and {@code ProcessPoolExecutor} (and {@code multiprocessing.Pool}) with one interface, and a
 * {@link ExecutorService} for Java code that expects one.
 * <pre>{@code
 * try (var pool = Pools.processes(4)) {
 *     pool.map(n -> n * n, List.of(1, 2, 3, 4))   // [1, 4, 9, 16], in order
 * }
 * }</pre>
 * A process pool starts its JVMs once and keeps them warm; each gets the notebook's classes and
 * variables as they were when the pool started.
 */
public interface Pool extends ExecutorService, AutoCloseable {

    /** Thread, virtual thread or process. */
    WorkerKind kind();

    /** Number of workers (for a virtual-thread pool, the number of tasks running now). */
    int size();

    /** Runs {@code task} on some worker; the future completes with its result. */
    <T> Future<T> submit(Task<T> task);

    /** Runs {@code job} on some worker. */
    Future<?> submit(Job job);

    /**
     * Applies {@code fn} to every item in parallel and returns the results in the items' order.
     * Items travel in chunks, so tiny functions do not pay one round trip each.
     */
    <T, R> List<R> map(Fn<T, R> fn, List<T> items) throws InterruptedException;

    /** Stops taking tasks, waits for the running ones, and ends the workers. */
    @Override
    void close();
}
