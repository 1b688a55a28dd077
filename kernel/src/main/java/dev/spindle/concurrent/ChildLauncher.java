package dev.spindle.concurrent;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a child JVM starts: the kernel's own {@code java.home} and jar, a class-data-sharing
 * archive of the child runtime (made in the background on first use) and flags chosen for a
 * fast start. Keeps one spare JVM started after the first use, so the next process worker
 * skips the JVM start entirely.
 */
final class ChildLauncher {
    private static final Logger LOG = Logger.getLogger(ChildLauncher.class.getName());

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path jar = ownJar();
    private final Path archive = archivePath();
    private final AtomicBoolean archiving = new AtomicBoolean();
    /** Replaced whole, never edited: a start reads one consistent list. */
    private volatile List<String> defaultOptions = List.of();
    private ChildProcess spare;
    private volatile boolean keepSpare = true;

    /** JVM options every child gets, e.g. {@code -Xmx512m}; per-call options come after. */
    void setDefaultOptions(List<String> options) {
        defaultOptions = List.copyOf(options);
        discardSpare();
    }

    List<String> defaultOptions() {
        return defaultOptions;
    }

    void keepSpare(boolean keep) {
        keepSpare = keep;
        if (!keep) discardSpare();
    }

    /** A started child, taking the spare when its options match. */
    ChildProcess launch(List<String> extraOptions) throws IOException {
        ChildProcess taken = null;
        synchronized (this) {
            if (extraOptions.isEmpty() && spare != null && spare.isAlive() && spare.options.equals(defaultOptions)) {
                taken = spare;
                spare = null;
            } else if (spare != null && !spare.options.equals(defaultOptions)) {
                spare.kill();
                spare = null;
            }
        }
        ChildProcess child = taken != null ? taken : start(extraOptions);
        if (keepSpare && extraOptions.isEmpty()) refillSpare();
        return child;
    }

    private void refillSpare() {
        Thread t = new Thread(() -> {
            synchronized (this) {
                if (spare != null && spare.isAlive()) return;
            }
            try {
                ChildProcess c = start(List.of());
                synchronized (this) {
                    // Options may have changed while it started: then it is no use as a spare.
                    if (spare == null && keepSpare && c.options.equals(defaultOptions)) {
                        spare = c;
                        return;
                    }
                }
                c.kill();
            } catch (IOException e) {
                LOG.log(Level.FINE, "no spare child", e);
            }
        }, "spindle-spare-child");
        t.setDaemon(true);
        t.start();
    }

    synchronized void discardSpare() {
        if (spare != null) spare.kill();
        spare = null;
    }

    private ChildProcess start(List<String> extraOptions) throws IOException {
        List<String> options = defaultOptions;
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xss1m");
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        if (Files.isRegularFile(archive)) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
            cmd.add("-Xshare:auto");
        } else {
            makeArchiveInBackground();
        }
        cmd.addAll(options);
        cmd.addAll(extraOptions);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("dev.spindle.child.ChildMain");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        List<String> all = new ArrayList<>(options);
        all.addAll(extraOptions);
        return new ChildProcess(p, extraOptions.isEmpty() ? options : all);
    }

    /** Runs the child runtime once with {@code -XX:ArchiveClassesAtExit}; later children map it. */
    private void makeArchiveInBackground() {
        if (!archiving.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                Files.createDirectories(archive.getParent());
                Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp" + ProcessHandle.current().pid());
                Process p = new ProcessBuilder(java.toString(), "-XX:ArchiveClassesAtExit=" + tmp, "-XX:+UseSerialGC",
                        "-Xlog:disable", "-cp", jar.toString(), "dev.spindle.child.ChildMain", "--warmup")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0 && Files.isRegularFile(tmp)) {
                    Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    LOG.info(() -> "child class-data archive ready: " + archive);
                } else {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException | InterruptedException e) {
                LOG.log(Level.INFO, "no class-data archive for children", e);
            }
        }, "spindle-child-archive");
        t.setDaemon(true);
        t.start();
    }

    private static Path ownJar() {
        try {
            return Path.of(ChildLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One archive per JDK and jar build: a stale archive would be refused (or worse, mismatched). */
    private Path archivePath() {
        // $HOME first: user.home comes from the passwd entry and ignores an isolated HOME.
        String cache = System.getenv("XDG_CACHE_HOME");
        String home = System.getenv("HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache)
                : Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".cache");
        long stamp;
        try {
            stamp = Files.getLastModifiedTime(jar).toMillis() ^ Files.size(jar);
        } catch (IOException e) {
            stamp = 0;
        }
        String key = Integer.toHexString((System.getProperty("java.home") + Runtime.version() + jar + stamp).hashCode());
        return base.resolve("spindle").resolve("child-" + Runtime.version().feature() + "-" + key + ".jsa");
    }
}
