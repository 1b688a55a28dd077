package dev.spindle.internal.process;

import dev.spindle.concurrent.Fn;
import dev.spindle.concurrent.Job;
import dev.spindle.concurrent.Pool;
import dev.spindle.concurrent.Task;
import dev.spindle.concurrent.WorkerFailedException;
import dev.spindle.concurrent.WorkerKind;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVMs kept warm. Each gets the notebook snapshot once (classes and variables as they
 * were when the pool started), then only task bytes; a class defined later is fetched on
 * demand. A worker that dies fails its task and is replaced.
 */
final class ProcessPool extends AbstractExecutorService implements Pool {
    private static final AtomicInteger POOLS = new AtomicInteger();

    final WorkerRuntime runtime;
    private final int size;
    final List<String> jvmOptions;
    /** The notebook as it was when the pool started: every JVM of the pool begins with it. */
    final byte[] snapshot;
    final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<PoolSlot> slots = new ArrayList<>();
    final CellContext ownerCell = CellContexts.current();
    final CountDownLatch terminated;
    final String name = "process-pool-" + POOLS.incrementAndGet();
    private volatile boolean shutdown;

    /** A submitted task, the cell that submitted it, and its future; a null task stops a slot. */
    record Pending(Serializable task, CellContext cell, CompletableFuture<Object> future) {
    }

    ProcessPool(WorkerRuntime runtime, int n, List<String> jvmOptions) {
        if (n < 1) throw new IllegalArgumentException("a pool needs at least one process");
        this.runtime = runtime;
        this.size = n;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.snapshot = Shipment.pack(0, name, new PoolInit(), runtime.notebook(), true).encode();
        this.terminated = new CountDownLatch(n);
        for (int i = 0; i < n; i++) slots.add(new PoolSlot(this, i + 1));
        slots.forEach(PoolSlot::startLoop);
        runtime.opened(this);
    }

    @Override
    public WorkerKind kind() {
        return WorkerKind.PROCESS;
    }

    @Override
    public int size() {
        return size;
    }

    /** Pids of the worker JVMs now. */
    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (PoolSlot s : slots) {
            ChildProcess c = s.child;
            if (c != null) out.add(c.pid());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Serializable task) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException(name + " is closed");
        Pending p = new Pending(task, CellContexts.current(), new CompletableFuture<>());
        // A task submitted by an interrupted cell's thread that has not ended yet: not run.
        if (runtime.stopped(p.cell)) p.future.cancel(true);
        else queue.add(p);
        return (CompletableFuture<T>) (CompletableFuture<?>) p.future;
    }

    @Override
    public void execute(Runnable command) {
        if (command instanceof ShippedTask<?> shipped) {
            shipped.link(enqueue(shipped.task));
            return;
        }
        enqueue(ShippedTask.requireSerializable(command));
    }

    /*
     * AbstractExecutorService's submit, invokeAll and invokeAny wrap each task in a FutureTask
     * before execute() sees it; a FutureTask cannot travel, so the wrapper here keeps the task
     * itself and completes when the child's answer arrives.
     */
    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(java.util.concurrent.Callable<T> callable) {
        return new ShippedTask<>(ShippedTask.requireSerializable(callable));
    }

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new ShippedTask<>(ShippedTask.withValue(runnable, value));
    }

    // invokeAny goes through an ExecutorCompletionService, whose own wrapper cannot travel.
    @Override
    public <T> T invokeAny(java.util.Collection<? extends java.util.concurrent.Callable<T>> tasks)
            throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException(e);
        }
    }

    @Override
    public <T> T invokeAny(java.util.Collection<? extends java.util.concurrent.Callable<T>> tasks, long timeout,
            TimeUnit unit) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("invokeAny needs at least one task");
        BlockingQueue<ShippedTask<T>> done = new LinkedBlockingQueue<>();
        List<ShippedTask<T>> all = new ArrayList<>();
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 2);
        try {
            for (java.util.concurrent.Callable<T> c : tasks) {
                ShippedTask<T> shipped = new ShippedTask<>(ShippedTask.requireSerializable(c));
                all.add(shipped);
                execute(shipped);
                shipped.result.whenComplete((v, e) -> done.add(shipped));
            }
            ExecutionException last = null;
            for (int i = 0; i < all.size(); i++) {
                ShippedTask<T> first = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (first == null) throw new java.util.concurrent.TimeoutException("no task of invokeAny finished in time");
                try {
                    return first.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (java.util.concurrent.CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            all.forEach(f -> f.cancel(true));
        }
    }

    @Override
    public <T> Future<T> submit(Task<T> task) {
        return enqueue(task);
    }

    @Override
    public Future<?> submit(Job job) {
        return enqueue(job);
    }

    @Override
    public <T, R> List<R> map(Fn<T, R> fn, List<T> items) throws InterruptedException {
        int chunk = Math.max(1, (int) Math.ceil(items.size() / (double) (size * 4)));
        List<CompletableFuture<List<R>>> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i += chunk) {
            parts.add(enqueue(new MapChunk<>(fn, new ArrayList<>(items.subList(i, Math.min(items.size(), i + chunk))))));
        }
        List<R> out = new ArrayList<>(items.size());
        for (CompletableFuture<List<R>> part : parts) {
            try {
                out.addAll(part.get());
            } catch (ExecutionException e) {
                parts.forEach(p -> p.cancel(true));
                throw new WorkerFailedException("map failed in " + name + ": " + e.getCause(), e.getCause());
            }
        }
        return out;
    }

    /** Interrupt of a cell: drop its queued tasks, end the JVMs running its tasks (they are replaced). */
    void stopTasksFrom(CellContext cell) {
        queue.removeIf(p -> {
            if (p.cell != cell) return false;
            p.future.cancel(true);
            return true;
        });
        for (PoolSlot s : slots) {
            Pending p = s.current;
            if (p != null && p.cell == cell) s.stop();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (int i = 0; i < size; i++) queue.add(new Pending(null, null, null)); // one stop marker each
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> {
            if (p.future != null) p.future.cancel(true);
        });
        slots.forEach(PoolSlot::stop);
        shutdown();
        runtime.closed(this);
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    @Override
    public void close() {
        shutdown();
        try {
            terminated.await();
        } catch (InterruptedException e) {
            shutdownNow();
            Thread.currentThread().interrupt();
        }
        runtime.closed(this);
    }

    @Override
    public String toString() {
        return name + " of " + size + " JVMs " + pids() + (shutdown ? " (closed)" : "")
                + (ownerCell != null && ownerCell.executionCount() > 0 ? ", started by cell [" + ownerCell.executionCount() + "]" : "");
    }
}
