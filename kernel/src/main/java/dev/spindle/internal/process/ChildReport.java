package dev.spindle.internal.process;

import dev.spindle.concurrent.RemoteTaskException;
import dev.spindle.internal.process.wire.Serial;
import dev.spindle.internal.process.wire.TaskOutcome;
import dev.spindle.internal.process.wire.Wire;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

/**
 * What a child JVM sends back, read the same way for a process worker and a pool JVM: the lines
 * it prints (into the cell that owns the task, prefixed when the runtime says so) and the outcome
 * of its task (the value, the exception itself, or a {@link RemoteTaskException} with the child's
 * stack trace when the exception could not travel).
 */
final class ChildReport {
    /** A task's value, or the exception it ended with (exactly one is meaningful). */
    record Result(Object value, Throwable error) {
    }

    private ChildReport() {
    }

    /** Reads {@code o} back, resolving classes declared in cells through {@code loader}. */
    static Result read(TaskOutcome o, ClassLoader loader, String workerName) {
        try {
            if (o.exception() != null) return new Result(null, (Throwable) Serial.fromBytes(o.exception(), loader));
            if (o.failure() != null) {
                TaskOutcome.RemoteFailure rf = o.failure();
                return new Result(null, new RemoteTaskException(rf.className(), rf.message(), o.pid(), stack(rf.stack())));
            }
            return new Result(o.result() == null ? null : Wire.decode(o.result(), loader), null);
        } catch (java.io.IOException | ClassNotFoundException | RuntimeException e) {
            return new Result(null, new IllegalStateException("the result of '" + workerName + "' could not be read back: " + e, e));
        }
    }

    /** True when the child's task ended normally (exit code 0 for a process worker). */
    static boolean succeeded(TaskOutcome o) {
        return o.exception() == null && o.failure() == null;
    }

    /** Prints a child's output in {@code cell}, each line after "[name pid] " when prefixing is on. */
    static void print(WorkerRuntime runtime, CellContext cell, boolean err, String text, String name, long pid) {
        CellContexts.bind(cell);
        String shown = runtime.prefixesOutput() ? prefix("[" + name + " " + pid + "] ", text) : text;
        if (err) System.err.print(shown);
        else System.out.print(shown);
    }

    static String prefix(String prefix, String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("(?<=\n)")) sb.append(prefix).append(line);
        return sb.toString();
    }

    /** The class loader to read a task's result with: the one that defined the task (a cell's). */
    static ClassLoader loaderOf(Object task) {
        ClassLoader l = task.getClass().getClassLoader();
        return l != null ? l : ChildReport.class.getClassLoader();
    }

    private static StackTraceElement[] stack(String[] lines) {
        StackTraceElement[] out = new StackTraceElement[lines.length];
        for (int i = 0; i < lines.length; i++) out[i] = new StackTraceElement("remote", lines[i], null, -1);
        return out;
    }
}
