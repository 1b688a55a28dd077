package dev.spindle.internal.process;

import dev.spindle.concurrent.Task;

import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task on its way to a pool JVM, as the Future that ExecutorService callers hold: it keeps the
 * serializable task itself (a FutureTask cannot travel) and completes when the child answers.
 */
final class ShippedTask<T> implements RunnableFuture<T> {
    final Serializable task;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile CompletableFuture<?> queued;

    ShippedTask(Serializable task) {
        this.task = task;
    }

    /** The task as a pool takes it, or a clear error for one that cannot cross to a child JVM. */
    static Serializable requireSerializable(Object task) {
        if (task instanceof Serializable s) return s;
        throw new IllegalArgumentException("a process pool runs serializable tasks only: pass a Job or Task lambda,"
                + " e.g. executor.submit((Task<Integer>) () -> 42), or a List<Task<T>> to invokeAll");
    }

    /** {@code submit(runnable, value)}: the runnable, answering {@code value}, as one task. */
    static Serializable withValue(Runnable runnable, Object value) {
        Serializable task = requireSerializable(runnable);
        return value == null ? task : new ValueTask<>(runnable, value);
    }

    /** {@code submit(runnable, value)} as one task: run, then answer {@code value}. */
    private record ValueTask<T>(Runnable body, T value) implements Task<T> {
        @Override
        public T call() {
            body.run();
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    void link(CompletableFuture<?> pending) {
        queued = pending;
        pending.whenComplete((v, e) -> {
            if (e != null) result.completeExceptionally(e);
            else result.complete((T) v);
        });
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("runs in a pool JVM: hand it to the pool's execute()");
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
        CompletableFuture<?> q = queued;
        if (q != null) q.cancel(mayInterrupt);
        return result.cancel(mayInterrupt);
    }

    @Override
    public boolean isCancelled() {
        return result.isCancelled();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        return result.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return result.get(timeout, unit);
    }
}
