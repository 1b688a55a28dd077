package dev.spindle.kernel;

import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where java.util.logging (and {@code System.Logger}, which it backs) goes. The kernel's own
 * records go to the kernel log file: nothing the kernel logs may reach a cell. Records that cell
 * code logs go to that cell's stderr, formatted as a plain JVM's console handler would, as
 * Python's logging prints to the cell: that is where the user looks, and the kernel log (a file
 * outside the notebook) is no place for what a cell logs.
 */
final class KernelLog {
    /** Prints a cell's record into the cell; set once the output routing exists. */
    private static volatile BiConsumer<CellContext, String> cellSink;

    private KernelLog() {
    }

    static PrintStream open(OutputStream file) {
        PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8);
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        SimpleFormatter console = new SimpleFormatter();
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) return;
                BiConsumer<CellContext, String> sink = cellSink;
                CellContext cell = sink == null || kernelLogger(r.getLoggerName()) ? null : CellContexts.current();
                if (cell != null) {
                    sink.accept(cell, console.format(r));
                    return;
                }
                StringBuilder sb = new StringBuilder();
                sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(r.getLevel()).append(' ')
                        .append(shortName(r.getLoggerName())).append(": ").append(r.getMessage());
                synchronized (out) {
                    out.println(sb);
                    if (r.getThrown() != null) r.getThrown().printStackTrace(out);
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        });
        return out;
    }

    /** From now on, records logged by cell code (on a cell's threads) go to {@code sink}. */
    static void routeCellRecords(BiConsumer<CellContext, String> sink) {
        cellSink = sink;
    }

    /** The kernel's loggers (and JShell's): their records go to the log even from a cell's thread. */
    private static boolean kernelLogger(String name) {
        return name != null && (name.startsWith("dev.spindle.") || name.startsWith("jdk.jshell"));
    }

    private static String shortName(String name) {
        return name == null ? "" : name.substring(name.lastIndexOf('.') + 1);
    }
}
