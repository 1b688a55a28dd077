package dev.spindle.concurrent;

import dev.spindle.concurrent.transport.Frame;
import dev.spindle.concurrent.transport.RunRequest;
import dev.spindle.concurrent.transport.Serial;
import dev.spindle.concurrent.transport.TaskOutcome;
import dev.spindle.concurrent.transport.Wire;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child JVMs kept warm. Each gets the notebook snapshot once (classes and variables as they
 * were when the pool started), then only task bytes; a class defined later is fetched on
 * demand. A worker that dies fails its task and is replaced.
 */
final class ProcessPool extends AbstractExecutorService implements Pool {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final AtomicLong TASK_IDS = new AtomicLong(1L << 40);

    private final int size;
    private final List<String> jvmOptions;
    private final byte[] snapshot;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Slot> slots = new ArrayList<>();
    private final CellContext ownerCell = CellContexts.current();
    final ThreadGroup ownerGroup = Thread.currentThread().getThreadGroup();
    private final CountDownLatch terminated;
    private final String name = "process-pool-" + POOLS.incrementAndGet();
    private volatile boolean shutdown;

    /** A submitted task, the cell that submitted it, and its future. */
    private record Pending(Serializable task, CellContext cell, ThreadGroup group, CompletableFuture<Object> future) {
    }

    ProcessPool(int n, List<String> jvmOptions) {
        if (n < 1) throw new IllegalArgumentException("a pool needs at least one process");
        this.size = n;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.snapshot = Shipment.pack(0, name, new PoolInit(), Workers.notebook(), true).encode();
        this.terminated = new CountDownLatch(n);
        for (int i = 0; i < n; i++) slots.add(new Slot(i + 1));
        slots.forEach(Slot::startLoop);
        Workers.POOLS.add(this);
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
        for (Slot s : slots) {
            ChildProcess c = s.child;
            if (c != null) out.add(c.pid());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Serializable task) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException(name + " is closed");
        Pending p = new Pending(task, CellContexts.current(), Thread.currentThread().getThreadGroup(), new CompletableFuture<>());
        queue.add(p);
        return (CompletableFuture<T>) (CompletableFuture<?>) p.future;
    }

    @Override
    public void execute(Runnable command) {
        if (command instanceof Shipped<?> shipped) {
            shipped.link(enqueue(shipped.task));
            return;
        }
        enqueue(requireSerializable(command));
    }

    /*
     * AbstractExecutorService's submit, invokeAll and invokeAny wrap each task in a FutureTask
     * before execute() sees it; a FutureTask cannot travel, so the wrapper here keeps the task
     * itself and completes when the child's answer arrives.
     */
    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(java.util.concurrent.Callable<T> callable) {
        return new Shipped<>(requireSerializable(callable));
    }

    @Override
    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        Serializable task = requireSerializable(runnable);
        return new Shipped<>(value == null ? task : new ValueTask<>(runnable, value));
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
        BlockingQueue<Shipped<T>> done = new LinkedBlockingQueue<>();
        List<Shipped<T>> all = new ArrayList<>();
        long deadline = System.nanoTime() + Math.min(unit.toNanos(timeout), Long.MAX_VALUE / 2);
        try {
            for (java.util.concurrent.Callable<T> c : tasks) {
                Shipped<T> shipped = new Shipped<>(requireSerializable(c));
                all.add(shipped);
                execute(shipped);
                shipped.result.whenComplete((v, e) -> done.add(shipped));
            }
            ExecutionException last = null;
            for (int i = 0; i < all.size(); i++) {
                Shipped<T> first = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
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

    private static Serializable requireSerializable(Object task) {
        if (task instanceof Serializable s) return s;
        throw new IllegalArgumentException("a process pool runs serializable tasks only: pass a Job or Task lambda,"
                + " e.g. executor.submit((Task<Integer>) () -> 42), or a List<Task<T>> to invokeAll");
    }

    /** {@code submit(runnable, value)} as one task: run, then answer {@code value}. */
    private record ValueTask<T>(Runnable body, T value) implements Task<T> {
        @Override
        public T call() {
            body.run();
            return value;
        }
    }

    /** A task on its way to a pool JVM, as the Future that ExecutorService callers hold. */
    private static final class Shipped<T> implements java.util.concurrent.RunnableFuture<T> {
        final Serializable task;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile CompletableFuture<?> queued;

        Shipped(Serializable task) {
            this.task = task;
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
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException,
                java.util.concurrent.TimeoutException {
            return result.get(timeout, unit);
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
    void stopTasksFrom(ThreadGroup group) {
        queue.removeIf(p -> {
            if (!within(p.group, group)) return false;
            p.future.cancel(true);
            return true;
        });
        for (Slot s : slots) {
            Pending p = s.current;
            if (p != null && within(p.group, group)) {
                ChildProcess c = s.child;
                if (c != null) c.stop(Workers.STOP_GRACE_MS);
            }
        }
    }

    private static boolean within(ThreadGroup g, ThreadGroup ancestor) {
        for (; g != null; g = g.getParent()) if (g == ancestor) return true;
        return false;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (int i = 0; i < size; i++) queue.add(new Pending(null, null, null, null)); // one stop marker each
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> {
            if (p.future != null) p.future.cancel(true);
        });
        for (Slot s : slots) {
            s.stopping = true;
            ChildProcess c = s.child;
            if (c != null) c.stop(Workers.STOP_GRACE_MS);
        }
        shutdown();
        Workers.POOLS.remove(this);
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
        Workers.POOLS.remove(this);
    }

    @Override
    public String toString() {
        return name + " of " + size + " JVMs " + pids() + (shutdown ? " (closed)" : "")
                + (ownerCell != null && ownerCell.executionCount() > 0 ? ", started by cell [" + ownerCell.executionCount() + "]" : "");
    }

    /** One worker JVM and the kernel thread that feeds it tasks one at a time. */
    private final class Slot implements ChildProcess.Listener {
        final int index;
        volatile ChildProcess child;
        volatile Pending current;
        volatile boolean stopping;
        private volatile CompletableFuture<TaskOutcome> outcome;
        /** CPU time of this JVM already added to the kernel's child-CPU clock. */
        private long cpuCounted;
        private volatile CompletableFuture<Integer> exit;

        Slot(int index) {
            this.index = index;
        }

        void startLoop() {
            Thread t = new Thread(ChildProcess.SERVICE, this::loop, name + "-" + index);
            t.setDaemon(true);
            t.start();
        }

        private void loop() {
            try {
                while (true) {
                    if (child == null || !child.isAlive()) spawn();
                    Pending p = queue.take();
                    if (p.task == null) break;
                    if (p.future.isDone()) continue;
                    run(p);
                }
            } catch (InterruptedException | IOException e) {
                // the pool is going away
            } finally {
                ChildProcess c = child;
                if (c != null) c.stop(Workers.STOP_GRACE_MS);
                terminated.countDown();
            }
        }

        private void spawn() throws IOException {
            exit = new CompletableFuture<>();
            ChildProcess c = Workers.LAUNCHER.launch(jvmOptions);
            child = c;
            c.listen(this);
            outcome = new CompletableFuture<>();
            c.send(Frame.RUN, 0, snapshot);
            try {
                TaskOutcome started = outcome.get(60, TimeUnit.SECONDS);
                cpuCounted = started == null ? 0 : started.cpuNanos();
                Workers.CHILD_CPU.addAndGet(cpuCounted);
            } catch (Exception e) {
                throw new IOException("pool JVM did not start: " + e, e);
            }
        }

        private void run(Pending p) throws InterruptedException {
            current = p;
            long id = TASK_IDS.incrementAndGet();
            outcome = new CompletableFuture<>();
            try {
                RunRequest req = new RunRequest(id, name + "-" + index, java.util.Map.of(), List.of(),
                        Wire.encode(p.task), true);
                child.send(Frame.RUN, id, req.encode());
                TaskOutcome o = CompletableFuture.anyOf(outcome, exit).thenApply(x -> outcome.getNow(null)).get();
                if (o == null) {
                    p.future.completeExceptionally(new ProcessWorker.ChildExitedException(name + "-" + index, child.pid(),
                            exit.getNow(-1)));
                } else {
                    // The child reports its JVM's CPU time so far; a pool JVM runs many tasks.
                    Workers.CHILD_CPU.addAndGet(o.cpuNanos() - cpuCounted);
                    cpuCounted = o.cpuNanos();
                    complete(p, o);
                }
            } catch (IOException e) {
                p.future.completeExceptionally(new IllegalArgumentException("the task cannot be sent to a child JVM: " + e, e));
            } catch (ExecutionException e) {
                p.future.completeExceptionally(e.getCause());
            } finally {
                current = null;
            }
        }

        private void complete(Pending p, TaskOutcome o) {
            ClassLoader loader = Workers.cellLoader(p.task);
            try {
                if (o.exception() != null) p.future.completeExceptionally((Throwable) Serial.fromBytes(o.exception(), loader));
                else if (o.failure() != null) {
                    p.future.completeExceptionally(new RemoteTaskException(o.failure().className(), o.failure().message(),
                            o.pid(), new StackTraceElement[0]));
                } else p.future.complete(Wire.decode(o.result(), loader));
            } catch (IOException | ClassNotFoundException e) {
                p.future.completeExceptionally(e);
            }
        }

        @Override
        public void frame(Frame f) {
            switch (f.type()) {
                case Frame.STDOUT, Frame.STDERR -> {
                    Pending p = current;
                    CellContexts.bind(p != null ? p.cell : ownerCell);
                    if (f.type() == Frame.STDOUT) System.out.print(f.text());
                    else System.err.print(f.text());
                }
                case Frame.RESULT -> {
                    try {
                        outcome.complete(TaskOutcome.decode(f.payload()));
                    } catch (IOException e) {
                        outcome.completeExceptionally(e);
                    }
                }
                default -> child.answer(f);
            }
        }


        @Override
        public void rawError(String text) {
            Pending p = current;
            CellContexts.bind(p != null ? p.cell : ownerCell);
            System.err.print(text);
        }

        @Override
        public void exited(int code) {
            CompletableFuture<Integer> e = exit;
            if (e != null) e.complete(code);
        }
    }
}
