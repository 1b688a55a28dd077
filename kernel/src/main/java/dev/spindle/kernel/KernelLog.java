package dev.spindle.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends java.util.logging to the kernel log file. Nothing the kernel logs may reach a cell:
 * JUL's default console handler writes to System.err, which cells own.
 */
final class KernelLog {
    private KernelLog() {
    }

    static PrintStream open(Path path) throws IOException {
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        PrintStream out = Main.append(path);
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) return;
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

    private static String shortName(String name) {
        return name == null ? "" : name.substring(name.lastIndexOf('.') + 1);
    }
}
