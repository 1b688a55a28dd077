package dev.spindle.kernel;

import dev.spindle.protocol.ConnectionFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.logging.Logger;

/**
 * Entry point: {@code java -jar spindle-kernel.jar --connection-file FILE [--log FILE]}, as
 * Jupyter starts it from kernel.json, or {@code --warmup} to load the kernel's classes once
 * (used to build the class-data-sharing archive at install time).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Charts and images render with AWT; the kernel never has a display.
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("spindle: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        // The connection file is checked before anything else: a kernel that cannot honour it
        // exits at once with one line naming the field, not a stack trace or a deaf kernel.
        ConnectionFile connection = null;
        if (!options.warmup()) {
            try {
                connection = ConnectionFile.parse(Files.readString(options.connectionFile(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                fail("cannot read the connection file " + options.connectionFile() + ": " + e);
            } catch (IllegalArgumentException e) {
                fail("connection file " + options.connectionFile() + ": " + e.getMessage());
            }
        }
        LogFiles.Opened logFile = LogFiles.open(options.log());
        if (logFile.warning() != null) System.err.println(logFile.warning());
        PrintStream log = KernelLog.open(logFile.out());
        Logger.getLogger(Main.class.getName()).info(() -> "Spindle starting on Java " + Runtime.version()
                + ", pid " + ProcessHandle.current().pid());
        ExitBound.install();

        if (options.warmup()) {
            Warmup.run(log);
            ExitBound.exit(0);
            return;
        }
        Kernel kernel;
        try {
            kernel = new Kernel(connection, logFile.path().toString(), log);
        } catch (org.zeromq.ZMQException e) {
            Logger.getLogger(Main.class.getName()).log(java.util.logging.Level.SEVERE, "cannot bind", e);
            fail("cannot bind the ports of " + connection + ": " + e.getMessage());
            return;
        }
        kernel.run();
        ExitBound.exit(0);
    }

    private static void fail(String message) {
        System.err.println("spindle: " + message.replace('\n', ' '));
        System.exit(2);
    }
}
