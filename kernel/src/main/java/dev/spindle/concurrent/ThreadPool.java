package dev.spindle.concurrent;

import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of the kernel JVM. Pool threads outlive the cell that made them, so each task carries
 * the cell that submitted it: what a task prints goes to that cell, and interrupting that cell
 * stops the task. A task runs with its submitter's output context and context class loader (the
 * kernel finds a cell's threads by the latter); between tasks a pool thread belongs to no cell.
 */
final class ThreadPool extends AbstractExecutorService implements Pool {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** The context class loader of an idle pool thread: a JVM's default, no cell's. */
    private static final ClassLoader IDLE_LOADER = ClassLoader.getSystemClassLoader();
    private final ExecutorService executor;
    private final boolean virtual;
    private final int size;

    ThreadPool(int n, boolean virtual) {
        if (!virtual && n < 1) throw new IllegalArgumentException("a pool needs at least one thread");
        this.virtual = virtual;
        this.size = n;
        int pool = POOLS.incrementAndGet();
        if (virtual) {
            if (ThreadWorker.VirtualThreads.BUILDER == null) {
                throw new UnsupportedOperationException("virtual threads need Java 21 or newer; this kernel runs Java "
                        + Runtime.version().feature() + ". Use Pools.threads(n) here.");
            }
            AtomicInteger count = new AtomicInteger();
            ThreadFactory f = r -> ThreadWorker.VirtualThreads.unstarted("pool-" + pool + "-virtual-" + count.incrementAndGet(), r);
            executor = threadPerTask(f);
        } else {
            AtomicInteger count = new AtomicInteger();
            executor = Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "pool-" + pool + "-thread-" + count.incrementAndGet());
                t.setDaemon(true);
                t.setContextClassLoader(IDLE_LOADER);
                return t;
            });
        }
    }

    /** {@code Executors.newThreadPerTaskExecutor} is Java 21+, as are virtual threads. */
    private static ExecutorService threadPerTask(ThreadFactory f) {
        try {
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, f);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual-thread pools need Java 21 or newer", e);
        }
    }

    @Override
    public WorkerKind kind() {
        return virtual ? WorkerKind.VIRTUAL : WorkerKind.THREAD;
    }

    @Override
    public int size() {
        return size;
    }

    private static Runnable bound(Runnable r) {
        CellContext cell = CellContexts.current();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return () -> {
            CellContexts.bind(cell);
            Thread t = Thread.currentThread();
            t.setContextClassLoader(loader);
            try {
                r.run();
            } finally {
                t.setContextClassLoader(IDLE_LOADER);
            }
        };
    }

    private static <T> Callable<T> bound(Callable<T> c) {
        CellContext cell = CellContexts.current();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return () -> {
            CellContexts.bind(cell);
            Thread t = Thread.currentThread();
            t.setContextClassLoader(loader);
            try {
                return c.call();
            } finally {
                t.setContextClassLoader(IDLE_LOADER);
            }
        };
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(bound(command));
    }

    @Override
    public <T> Future<T> submit(Task<T> task) {
        return executor.submit(bound((Callable<T>) task));
    }

    @Override
    public Future<?> submit(Job job) {
        return executor.submit(bound((Runnable) job));
    }

    @Override
    public <T, R> List<R> map(Fn<T, R> fn, List<T> items) throws InterruptedException {
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) futures.add(executor.submit(bound(() -> fn.apply(item))));
        List<R> out = new ArrayList<>(items.size());
        for (Future<R> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                futures.forEach(x -> x.cancel(true));
                throw new WorkerFailedException("map failed on an item: " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    @Override
    public void shutdown() {
        executor.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return executor.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return executor.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            while (!executor.awaitTermination(1, TimeUnit.DAYS)) {
                // wait for running tasks, like ExecutorService.close() on Java 19+
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return kind().name().toLowerCase() + " pool of " + (virtual ? "virtual threads" : size + " threads");
    }
}
