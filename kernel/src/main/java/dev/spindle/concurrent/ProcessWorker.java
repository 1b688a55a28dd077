package dev.spindle.concurrent;

import dev.spindle.concurrent.transport.Frame;
import dev.spindle.concurrent.transport.RunRequest;
import dev.spindle.concurrent.transport.Serial;
import dev.spindle.concurrent.transport.TaskOutcome;
import dev.spindle.concurrent.transport.Wire;
import dev.spindle.output.CellContexts;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
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

    ProcessWorker(String name, Serializable task, List<String> jvmOptions) {
        super(name);
        this.task = task;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public WorkerKind kind() {
        return WorkerKind.PROCESS;
    }

    @Override
    void launch() {
        RunRequest request = Shipment.pack(taskId, name, task, Workers.notebook(), false);
        byte[] payload = request.encode();
        try {
            child = Workers.LAUNCHER.launch(jvmOptions, Workers.runningProcesses());
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
        if (c != null) c.stop(Workers.STOP_GRACE_MS);
    }

    @Override
    public void frame(Frame f) {
        switch (f.type()) {
            case Frame.STDOUT -> print(false, f.text());
            case Frame.STDERR -> print(true, f.text());
            case Frame.RESULT -> {
                try {
                    outcome = TaskOutcome.decode(f.payload());
                    Workers.CHILD_CPU.addAndGet(outcome.cpuNanos());
                } catch (IOException e) {
                    outcome = null;
                }
                // The task is over once its result is here; the JVM's own exit takes another
                // few tens of milliseconds that join() need not wait for. Release after: that
                // starts the next spare.
                TaskOutcome o = outcome;
                if (o != null) complete(o, o.exception() == null && o.failure() == null ? 0 : 1);
                child.release();
            }
            default -> child.answer(f);
        }
    }


    private void print(boolean err, String text) {
        CellContexts.bind(cell);
        String shown = Workers.prefixOutput ? Workers.prefix("[" + name + " " + pid() + "] ", text) : text;
        if (err) System.err.print(shown);
        else System.out.print(shown);
    }

    @Override
    public void rawError(String text) {
        print(true, text);
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
        try {
            if (o.result() != null && o.exception() == null && o.failure() == null) {
                @SuppressWarnings("unchecked")
                T value = (T) Wire.decode(o.result(), Workers.cellLoader(task));
                finish(value, null, code);
            } else if (o.exception() != null) {
                finish(null, (Throwable) Serial.fromBytes(o.exception(), Workers.cellLoader(task)), code);
            } else {
                TaskOutcome.RemoteFailure rf = o.failure();
                finish(null, new RemoteTaskException(rf.className(), rf.message(), o.pid(), parse(rf.stack())), code);
            }
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            finish(null, new IllegalStateException("the result of '" + name + "' could not be read back: " + e, e), code);
        }
    }

    private static StackTraceElement[] parse(String[] lines) {
        StackTraceElement[] out = new StackTraceElement[lines.length];
        for (int i = 0; i < lines.length; i++) out[i] = new StackTraceElement("remote", lines[i], null, -1);
        return out;
    }

    /** The child JVM ended without reporting a result: crashed, killed, or called System.exit. */
    static final class ChildExitedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChildExitedException(String name, long pid, int code) {
            super(describe(name, pid, code));
        }

        private static String describe(String name, long pid, int code) {
            String base = "process '" + name + "' (pid " + pid + ") ended without a result: ";
            if (code > 128 && code < 160) {
                int sig = code - 128;
                String sigName = switch (sig) {
                    case 9 -> "SIGKILL";
                    case 15 -> "SIGTERM";
                    case 6 -> "SIGABRT";
                    case 11 -> "SIGSEGV";
                    case 2 -> "SIGINT";
                    default -> "signal " + sig;
                };
                return base + "killed by " + sigName + " (exit code " + code + ")";
            }
            return base + "exit code " + code + (code == 0 ? "" : " (System.exit, a crash, or out of memory)");
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
