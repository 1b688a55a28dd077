package dev.spindle.kernel;

import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path logPath = options.log() != null ? options.log() : defaultLogPath();
        PrintStream log = KernelLog.open(logPath);
        Logger.getLogger(Main.class.getName()).info(() -> "Spindle starting on Java " + Runtime.version()
                + ", pid " + ProcessHandle.current().pid());

        if (options.warmup()) {
            Warmup.run(log);
            System.exit(0);
            return;
        }
        String json = Files.readString(options.connectionFile(), StandardCharsets.UTF_8);
        new Kernel(KernelConnectionProperties.parse(json), logPath.toString(), log).run();
        System.exit(0);
    }

    private static Path defaultLogPath() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "spindle-" + System.getProperty("user.name"));
        Files.createDirectories(dir);
        return dir.resolve("kernel-" + ProcessHandle.current().pid() + ".log");
    }

    static PrintStream append(Path p) throws IOException {
        return new PrintStream(new FileOutputStream(p.toFile(), true), true, StandardCharsets.UTF_8);
    }
}
