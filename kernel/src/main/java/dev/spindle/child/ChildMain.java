package dev.spindle.child;

import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.FrameReader;
import dev.spindle.internal.process.wire.FrameWriter;
import dev.spindle.internal.process.wire.KernelLink;
import dev.spindle.internal.process.wire.RunRequest;
import dev.spindle.internal.process.wire.Serial;
import dev.spindle.internal.process.wire.TaskOutcome;
import dev.spindle.internal.process.wire.Wire;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM: same jar as the kernel, second main class. It talks to the kernel over its
 * own stdin (requests in) and stdout (frames out): no port, nothing another user can reach.
 * When stdin closes, the kernel is gone, and the child ends at once: no orphans.
 */
public final class ChildMain {
    private static final long PID = ProcessHandle.current().pid();
    private static FrameWriter out;
    private static ChildClassLoader cells;
    private static final Map<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private static long nextRequest;

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread.currentThread().setName("main");
        // The session that lists classes for the class-data archive: what a spare loads too.
        boolean archiveSession = args.length > 0 && args[0].equals("--archive");
        // Frames own the real stdout; user prints become frames too.
        out = new FrameWriter(new FileOutputStream(FileDescriptor.out));
        PrintStream framedOut = FramedOutput.printStream(out, Frame.STDOUT);
        PrintStream framedErr = FramedOutput.printStream(out, Frame.STDERR);
        System.setOut(framedOut);
        System.setErr(framedErr);
        System.setIn(java.io.InputStream.nullInputStream());
        cells = new ChildClassLoader(ChildMain.class.getClassLoader(), ChildMain::askForClass);
        Thread.currentThread().setContextClassLoader(cells);
        KernelLink.connect(request -> request(Frame.IPC_REQUEST, request, 0));
        // A task that calls System.exit(n) must not lose what it printed just before.
        Runtime.getRuntime().addShutdownHook(new Thread(ChildMain::flushOutput, "spindle-child-exit-flush"));
        out.text(Frame.READY, Long.toString(PID));

        // Tasks run on this (main) thread; stdin is read by a daemon thread. A finished child
        // then ends by returning from main: HotSpot's System.exit/halt path waits up to 300 ms
        // for threads blocked in native reads (our stdin reader always is), this path does not.
        Thread reader = new Thread(ChildMain::readFrames, "spindle-child-reader");
        reader.setDaemon(true);
        reader.start();
        // A spare child (no task yet) pays the first-use costs of deserializing a lambda now,
        // so the task it gets later starts in a few milliseconds.
        Frame first = archiveSession ? null : runs.poll(5, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) Warmup.exercise();
        else runs.addFirst(first);
        while (true) {
            Frame f = runs.take();
            Thread.currentThread().setContextClassLoader(cells);
            int code = runTask(f);
            if (code >= 0) {
                finishing = true;
                flushOutput();
                if (code == 0) return;
                Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
                throw new TaskFailed(); // exit code 1, without the System.exit wait
            }
        }
    }

    /** Ends main with exit code 1 quietly (the failure itself was reported as a frame). */
    private static final class TaskFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskFailed() {
            super(null, null, false, false);
        }
    }

    private static volatile boolean finishing;
    private static final java.util.concurrent.BlockingDeque<Frame> runs = new java.util.concurrent.LinkedBlockingDeque<>();

    private static void readFrames() {
        FrameReader in = new FrameReader(new FileInputStream(FileDescriptor.in));
        while (true) {
            Frame f;
            try {
                f = in.next();
            } catch (EOFException e) {
                // After our result, the kernel closes stdin so this thread leaves its native
                // read and the JVM can exit at once. Any other EOF: the kernel stopped or died.
                if (!finishing) exit(0);
                return;
            } catch (IOException e) {
                exit(3);
                return;
            }
            switch (f.type()) {
                case Frame.RUN -> runs.add(f);
                case Frame.CLASS_REPLY, Frame.IPC_REPLY -> {
                    CompletableFuture<byte[]> waiting = pending.remove(f.id());
                    if (waiting != null) waiting.complete(f.payload());
                }
                case Frame.STOP -> exit(143);
                default -> { }
            }
        }
    }

    /** Runs one task and reports it; returns the exit code to end with, or -1 to stay up. */
    private static int runTask(Frame f) {
        RunRequest req;
        try {
            req = RunRequest.decode(f.payload());
        } catch (Exception e) {
            finishing = true;
            report(new TaskOutcome(f.id(), null, null, failure(e), PID, cpu()));
            return 1;
        }
        Thread.currentThread().setName(req.workerName());
        Object result = null;
        Throwable error = null;
        try {
            cells.add(req.classes());
            for (RunRequest.VariableCopy v : req.variables()) setVariable(v);
            Object task = Wire.decode(req.task(), cells);
            if (task instanceof Callable<?> c) result = c.call();
            else ((Runnable) task).run();
        } catch (Throwable t) {
            error = t;
        }
        byte[] resultBytes = null, errorBytes = null;
        TaskOutcome.RemoteFailure failure = null;
        if (error == null) {
            try {
                resultBytes = Wire.encode(result);
            } catch (IOException e) {
                failure = new TaskOutcome.RemoteFailure("java.io.NotSerializableException",
                        "the task's result (" + result.getClass().getName() + ") cannot be sent back to the kernel: "
                                + e.getMessage(), new String[0]);
            }
        } else {
            try {
                errorBytes = Serial.toBytes(error);
            } catch (IOException e) {
                failure = failure(error);
            }
        }
        // Before the report: the kernel answers it by closing our stdin, and the reader must
        // take that EOF for the end of this task, not for the kernel's death (exit 0).
        if (!req.keepAlive()) finishing = true;
        report(new TaskOutcome(req.taskId(), resultBytes, errorBytes, failure, PID, cpu()));
        if (req.keepAlive()) return -1;
        return error == null && failure == null ? 0 : 1;
    }

    /** Sets a copied top-level variable; a cell class has no static initializer to rerun. */
    private static void setVariable(RunRequest.VariableCopy v) throws Exception {
        Class<?> wrapper = Class.forName(v.className(), true, cells);
        Field field = wrapper.getDeclaredField(v.name());
        field.setAccessible(true);
        field.set(null, Wire.decode(v.value(), cells));
    }

    private static TaskOutcome.RemoteFailure failure(Throwable t) {
        StackTraceElement[] st = t.getStackTrace();
        String[] lines = new String[st.length];
        for (int i = 0; i < st.length; i++) lines[i] = st[i].toString();
        return new TaskOutcome.RemoteFailure(t.getClass().getName(), t.getMessage(), lines);
    }

    private static void report(TaskOutcome outcome) {
        flushOutput();
        try {
            out.write(Frame.RESULT, outcome.taskId(), outcome.encode());
        } catch (IOException e) {
            exit(1);
        }
    }

    /** CPU time of this JVM so far. ProcessHandle, not the management beans: their first use costs ~20 ms. */
    static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Asks the kernel for a cell class the task needs but was not shipped. */
    private static byte[] askForClass(String name) {
        return request(Frame.CLASS_REQUEST, name.getBytes(StandardCharsets.UTF_8), 30);
    }

    /** Sends a request to the kernel and waits for the reply with the same id. */
    public static byte[] request(byte type, byte[] payload, long timeoutSeconds) {
        long id;
        synchronized (ChildMain.class) {
            id = ++nextRequest;
        }
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            out.write(type, id, payload);
            return timeoutSeconds > 0 ? reply.get(timeoutSeconds, TimeUnit.SECONDS) : reply.get();
        } catch (Exception e) {
            pending.remove(id);
            throw new IllegalStateException("no answer from the kernel: " + e, e);
        }
    }

    /** Whether this JVM is a Spindle child (IPC objects talk to the kernel from here). */
    public static boolean isChild() {
        return out != null;
    }

    private static void exit(int code) {
        flushOutput();
        Runtime.getRuntime().halt(code);
    }

    private static void flushOutput() {
        FramedOutput.Flusher.flushAll();
        System.out.flush();
        System.err.flush();
    }
}
