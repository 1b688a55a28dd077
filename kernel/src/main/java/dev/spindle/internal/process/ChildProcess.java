package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.FrameReader;
import dev.spindle.internal.process.wire.FrameWriter;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.TaskOutcome;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running child JVM and its two pipes. A reader thread takes frames off the child's stdout
 * and hands them to whoever owns the child now (a {@link Listener}); another copies its stderr,
 * where only the JVM itself writes (warnings, crash reports).
 */
final class ChildProcess {
    private static final Logger LOG = Logger.getLogger(ChildProcess.class.getName());
    static final ThreadGroup SERVICE = new ThreadGroup("spindle-children");

    /** What the owner of a child hears from it; what the child asks of the kernel it answers itself. */
    interface Listener {
        /** Text the task printed, for the cell that owns it. */
        void output(boolean err, String text);

        /** The task's report; null when it could not be read. */
        void reported(TaskOutcome outcome);

        /** What the JVM itself wrote (warnings, crash reports). */
        void rawError(String text);

        void exited(int code);
    }

    final Process process;
    final FrameWriter in;
    /** The JVM options it was started with; a spare is only handed out if they still apply. */
    final java.util.List<String> options;
    /** What its class path has after the kernel's jar: libraries added before it started. */
    final java.util.List<java.nio.file.Path> classPath;
    /** Whose notebook classes and shared objects the child asks for. */
    private final WorkerRuntime runtime;
    private volatile Listener listener;
    /** It said READY: its stdin reader runs, so a write to it does not wait for the JVM to start. */
    private volatile boolean ready;
    private final StringBuilder early = new StringBuilder();
    /** Done when its work is over: released after its result, or exited, or killed. */
    private final java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();

    ChildProcess(Process process, java.util.List<String> options, WorkerRuntime runtime) {
        this(process, options, java.util.List.of(), runtime);
    }

    ChildProcess(Process process, java.util.List<String> options, java.util.List<java.nio.file.Path> classPath,
                 WorkerRuntime runtime) {
        this.process = process;
        this.classPath = java.util.List.copyOf(classPath);
        this.runtime = runtime;
        this.options = java.util.List.copyOf(options);
        this.in = new FrameWriter(process.getOutputStream());
        daemon("spindle-child-" + process.pid() + "-out", this::readFrames);
        daemon("spindle-child-" + process.pid() + "-err", this::readErrors);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(SERVICE, r, name);
        t.setDaemon(true);
        t.start();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    boolean isReady() {
        return ready;
    }

    /** Hands the child to a new owner; frames that arrived before go to it in order. */
    void listen(Listener l) {
        synchronized (early) {
            listener = l;
            if (early.length() > 0) l.rawError(early.toString());
            early.setLength(0);
        }
    }

    void send(byte type, long id, byte[] payload) throws IOException {
        in.write(type, id, payload);
    }

    private void readFrames() {
        FrameReader reader = new FrameReader(process.getInputStream());
        try {
            while (true) {
                Frame f = reader.next();
                if (f.type() == Frame.READY) {
                    ready = true;
                    continue;
                }
                if (f.type() == Frame.NOISE) {
                    deliverError(new String(f.payload(), StandardCharsets.UTF_8));
                    continue;
                }
                if (answer(f)) continue;
                Listener l = listener;
                if (l == null) continue;
                switch (f.type()) {
                    case Frame.STDOUT -> l.output(false, f.text());
                    case Frame.STDERR -> l.output(true, f.text());
                    case Frame.RESULT -> l.reported(outcome(f));
                    default -> LOG.fine(() -> "child " + pid() + " sent an unexpected frame " + f.type());
                }
            }
        } catch (EOFException e) {
            // the child closed its stdout: it is exiting
        } catch (IOException e) {
            LOG.log(Level.FINE, "child " + pid() + " output ended", e);
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        finished.complete(null);
        Listener l = listener;
        if (l != null) l.exited(code);
    }

    /** Runs {@code action} once when this child's work is over (at once if it is). */
    void whenFinished(Runnable action) {
        finished.thenRun(action);
    }

    private void readErrors() {
        InputStream err = process.getErrorStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = err.read(buf)) > 0) deliverError(new String(buf, 0, n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // closed
        }
    }

    private void deliverError(String text) {
        synchronized (early) {
            Listener l = listener;
            if (l == null) early.append(text);
            else l.rawError(text);
        }
    }

    /** Asks the child to stop, then ends it by force if it has not within {@code graceMs}. */
    void stop(long graceMs) {
        if (!process.isAlive()) return;
        try {
            send(Frame.STOP, 0, new byte[0]);
        } catch (IOException e) {
            // its stdin is gone already
        }
        process.destroy();
        Thread t = new Thread(SERVICE, () -> {
            try {
                if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }, "spindle-child-" + pid() + "-stop");
        t.setDaemon(true);
        t.start();
    }

    private TaskOutcome outcome(Frame f) {
        try {
            return TaskOutcome.decode(f.payload());
        } catch (IOException e) {
            LOG.log(Level.FINE, "child " + pid() + " sent an unreadable report", e);
            return null;
        }
    }

    /**
     * Answers what a child asks of the kernel while it runs (a cell class it needs, an
     * operation on a shared object); false for any other frame.
     */
    private boolean answer(Frame f) {
        switch (f.type()) {
            case Frame.CLASS_REQUEST -> {
                reply(Frame.CLASS_REPLY, f.id(), runtime.notebook().classBytes(f.text()).orElse(new byte[0]));
                return true;
            }
            case Frame.IPC_REQUEST -> {
                long id = f.id();
                runtime.ipc().handle(f, new IpcHub.Reply() {
                    @Override
                    public boolean send(IpcReply answer) {
                        return isAlive() && reply(Frame.IPC_REPLY, id, answer.encode());
                    }

                    @Override
                    public boolean open() {
                        return isAlive();
                    }
                });
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** False when the child is gone (its worker hears of that from exited()). */
    private boolean reply(byte type, long id, byte[] bytes) {
        try {
            send(type, id, bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes the child's stdin: a child that has reported its result then exits at once. */
    void release() {
        finished.complete(null);
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
    }

    void kill() {
        finished.complete(null);
        process.destroyForcibly();
    }
}
