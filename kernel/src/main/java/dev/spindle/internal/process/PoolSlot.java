package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.RunRequest;
import dev.spindle.internal.process.wire.TaskOutcome;
import dev.spindle.internal.process.wire.Wire;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM of a {@link ProcessPool} and the kernel thread that feeds it the pool's tasks one at a
 * time. A JVM that dies fails its task and is replaced by a new one before the next task.
 */
final class PoolSlot implements ChildProcess.Listener {
    private static final AtomicLong TASK_IDS = new AtomicLong(1L << 40);

    private final ProcessPool pool;
    private final String name;
    volatile ChildProcess child;
    volatile ProcessPool.Pending current;
    private volatile CompletableFuture<TaskOutcome> outcome;
    /** CPU time of this JVM already added to the kernel's child-CPU clock. */
    private long cpuCounted;
    private volatile CompletableFuture<Integer> exit;

    PoolSlot(ProcessPool pool, int index) {
        this.pool = pool;
        this.name = pool.name + "-" + index;
    }

    void startLoop() {
        Thread t = new Thread(ChildProcess.SERVICE, this::loop, name);
        t.setDaemon(true);
        t.start();
    }

    private void loop() {
        try {
            while (true) {
                if (child == null || !child.isAlive()) spawn();
                ProcessPool.Pending p = pool.queue.take();
                if (p.task() == null) break;
                if (p.future().isDone()) continue;
                run(p);
            }
        } catch (InterruptedException | IOException e) {
            // the pool is going away
        } finally {
            stop();
            pool.terminated.countDown();
        }
    }

    /** Ends this slot's JVM (politely, then by force); the loop replaces it if the pool goes on. */
    void stop() {
        ChildProcess c = child;
        if (c != null) c.stop(WorkerRuntime.STOP_GRACE_MS);
    }

    private void spawn() throws IOException {
        exit = new CompletableFuture<>();
        ChildProcess c = pool.runtime.launcher.launch(pool.jvmOptions);
        child = c;
        c.listen(this);
        outcome = new CompletableFuture<>();
        c.send(Frame.RUN, 0, pool.snapshot);
        try {
            TaskOutcome started = outcome.get(60, TimeUnit.SECONDS);
            cpuCounted = started == null ? 0 : started.cpuNanos();
            pool.runtime.addChildCpu(cpuCounted);
        } catch (Exception e) {
            throw new IOException("pool JVM did not start: " + e, e);
        }
    }

    private void run(ProcessPool.Pending p) throws InterruptedException {
        current = p;
        long id = TASK_IDS.incrementAndGet();
        outcome = new CompletableFuture<>();
        try {
            RunRequest req = new RunRequest(id, name, Map.of(), List.of(), Wire.encode(p.task()), true);
            child.send(Frame.RUN, id, req.encode());
            TaskOutcome o = CompletableFuture.anyOf(outcome, exit).thenApply(x -> outcome.getNow(null)).get();
            if (o == null) {
                p.future().completeExceptionally(new ChildExitedException(name, child.pid(), exit.getNow(-1)));
            } else {
                // The child reports its JVM's CPU time so far; a pool JVM runs many tasks.
                pool.runtime.addChildCpu(o.cpuNanos() - cpuCounted);
                cpuCounted = o.cpuNanos();
                ChildReport.Result r = ChildReport.read(o, ChildReport.loaderOf(p.task()), name);
                if (r.error() != null) {
                    p.future().completeExceptionally(
                            ChildReport.explainMissingClass(r.error(), child, pool.runtime.launcher.classPath()));
                } else {
                    p.future().complete(r.value());
                }
            }
        } catch (IOException e) {
            p.future().completeExceptionally(new IllegalArgumentException("the task cannot be sent to a child JVM: " + e, e));
        } catch (ExecutionException e) {
            p.future().completeExceptionally(e.getCause());
        } finally {
            current = null;
        }
    }

    @Override
    public void reported(TaskOutcome o) {
        if (o != null) outcome.complete(o);
        else outcome.completeExceptionally(new IOException("the pool JVM's report could not be read"));
    }

    /** Into the cell of the task running now, or of the cell that made the pool between tasks. */
    @Override
    public void output(boolean err, String text) {
        ProcessPool.Pending p = current;
        ChildProcess c = child;
        ChildReport.print(pool.runtime, p != null ? p.cell() : pool.ownerCell, err, text, name, c == null ? -1 : c.pid());
    }

    @Override
    public void rawError(String text) {
        output(true, text);
    }

    @Override
    public void exited(int code) {
        CompletableFuture<Integer> e = exit;
        if (e != null) e.complete(code);
    }
}
