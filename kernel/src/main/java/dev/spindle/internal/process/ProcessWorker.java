package dev.spindle.internal.process;

import dev.spindle.concurrent.WorkerKind;
import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.RunRequest;
import dev.spindle.internal.process.wire.TaskOutcome;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker in a child JVM. {@link #start()} snapshots the notebook (classes, variables, task)
 * on the calling thread, so the child sees the state of that moment, like a fork; the JVM then
 * starts (or a spare is taken) and the child's output streams into the cell that started it.
 */
final class ProcessWorker<T> extends AbstractWorker<T> implements ChildProcess.Listener {
    private static final AtomicLong IDS = new AtomicLong();
    private final Serializable task;
    private final List<String> jvmOptions;
    private final long taskId = IDS.incrementAndGet();
    private volatile ChildProcess child;
    private volatile TaskOutcome outcome;

    ProcessWorker(WorkerRuntime runtime, String name, Serializable task, List<String> jvmOptions) {
        super(runtime, name);
        this.task = task;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public WorkerKind kind() {
        return WorkerKind.PROCESS;
    }

    @Override
    protected void launch() {
        RunRequest request = Shipment.pack(taskId, name, task, runtime.notebook(), false);
        byte[] payload = request.encode();
        try {
            child = runtime.launcher.launch(jvmOptions, runtime.runningProcesses());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM: " + e.getMessage(), e);
        }
        child.listen(this);
        if (child.isReady()) {
            // A started spare reads its stdin all the time: the write is quick, and a thread
            // to do it would cost more than the write (0.4-4 ms measured on 2 busy cores).
            send(payload);
            return;
        }
        // Writing can block until a new JVM reads its stdin; start() must not wait for that.
        Thread sender = new Thread(() -> send(payload), "spindle-send-" + name);
        sender.setDaemon(true);
        sender.start();
    }

    private void send(byte[] payload) {
        try {
            child.send(Frame.RUN, taskId, payload);
        } catch (IOException e) {
            // the child died before reading: exited() reports it
        }
    }

    @Override
    public long pid() {
        ChildProcess c = child;
        return c == null ? -1 : c.pid();
    }

    @Override
    public void stop() {
        ChildProcess c = child;
        if (c != null) c.stop(WorkerRuntime.STOP_GRACE_MS);
    }

    @Override
    public void reported(TaskOutcome o) {
        outcome = o;
        if (o != null) runtime.addChildCpu(o.cpuNanos());
        // The task is over once its result is here; the JVM's own exit takes another few tens
        // of milliseconds that join() need not wait for. Release after: that starts the next spare.
        if (o != null) complete(o, ChildReport.succeeded(o) ? 0 : 1);
        child.release();
    }


    @Override
    public void output(boolean err, String text) {
        ChildReport.print(runtime, cell, err, text, name, pid());
    }

    @Override
    public void rawError(String text) {
        output(true, text);
    }

    @Override
    public void exited(int code) {
        TaskOutcome o = outcome;
        if (o == null) {
            finish(null, new ChildExitedException(name, pid(), code), code);
            return;
        }
        complete(o, code);
        updateExitCode(code); // e.g. a thread the task left running called System.exit(n) later
    }

    private void complete(TaskOutcome o, int code) {
        ChildReport.Result r = ChildReport.read(o, ChildReport.loaderOf(task), name);
        @SuppressWarnings("unchecked")
        T value = (T) r.value();
        finish(value, ChildReport.explainMissingClass(r.error(), child, runtime.launcher.classPath()), code);
    }
}
