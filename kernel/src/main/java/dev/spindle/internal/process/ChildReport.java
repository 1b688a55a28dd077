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

    /**
     * A task that failed for want of a class that a library added after its JVM started holds
     * ({@code %maven}, {@code %classpath}): the same failure, with a message that says so. A JVM
     * keeps the class path it started with; a new worker or pool gets every library added so far.
     * Any other failure is returned as it is.
     */
    static Throwable explainMissingClass(Throwable error, ChildProcess child, java.util.List<java.nio.file.Path> now) {
        if (error == null || child == null) return error;
        java.util.List<java.nio.file.Path> later = new java.util.ArrayList<>(now);
        later.removeAll(child.classPath);
        if (later.isEmpty()) return error;
        String missing = missingClass(error);
        if (missing == null) return error;
        for (java.nio.file.Path lib : later) {
            if (holds(lib, missing)) {
                return new IllegalStateException("the task needs " + missing + " from " + lib.getFileName()
                        + ", which was added to the notebook after this child JVM (pid " + child.pid() + ") started;"
                        + " a JVM keeps the class path it started with. Start a new process worker or pool: it gets"
                        + " every library added so far.", error);
            }
        }
        return error;
    }

    /** The class a NoClassDefFoundError or ClassNotFoundException (here or as text from the child) names. */
    private static String missingClass(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            boolean named = t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException
                    || (t instanceof RemoteTaskException r && (r.remoteClass().equals(NoClassDefFoundError.class.getName())
                    || r.remoteClass().equals(ClassNotFoundException.class.getName())));
            if (!named || m == null) continue;
            if (t instanceof RemoteTaskException) {
                m = m.substring(m.indexOf(": ") + 2);
                int paren = m.lastIndexOf(" (in process ");
                if (paren > 0) m = m.substring(0, paren);
            }
            return m.strip().replace('/', '.');
        }
        return null;
    }

    private static boolean holds(java.nio.file.Path lib, String className) {
        String entry = className.replace('.', '/') + ".class";
        if (java.nio.file.Files.isDirectory(lib)) return java.nio.file.Files.isRegularFile(lib.resolve(entry));
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(lib.toFile())) {
            return z.getEntry(entry) != null;
        } catch (java.io.IOException e) {
            return false;
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
