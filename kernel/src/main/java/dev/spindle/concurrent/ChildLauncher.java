package dev.spindle.concurrent;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
    /**
     * Every child's JVM flags before the user's; -Xlog keeps the JVM's own messages off stdout
     * (the frames). No GC flag: with the default G1 a child maps the archive's heap objects and
     * module graph, which SerialGC cannot on JDK 17 (measured: 76 ms CPU and 41-47 ms to READY
     * with G1, 88 ms and 59 ms with SerialGC, same archive; +2 MB idle RSS). It also leaves
     * the user free to choose a collector in the child's options.
     */
    private static final List<String> FLAGS = List.of("-Xss1m", "-Xlog:disable", "-Xlog:all=warning:stderr");

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path jar = ownJar();
    private final ChildArchive archive = new ChildArchive(java, jar);
    /** Replaced whole, never edited: a start reads one consistent list. */
    private volatile List<String> defaultOptions = List.of();
    private ChildProcess spare;
    /** One spare starts at a time (two pool JVMs ending together ask twice). */
    private final AtomicBoolean refilling = new AtomicBoolean();
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
        // The next spare starts when this child's task is over, not now: a JVM starting takes
        // most of a core for ~100 ms, which a task just started (or a second process started
        // with it) needs on a 2-core machine. Measured: a spare start took 12 ms with the
        // refill booting beside it.
        if (keepSpare && extraOptions.isEmpty()) child.whenFinished(this::refillSpare);
        return child;
    }

    private void refillSpare() {
        if (!keepSpare || !refilling.compareAndSet(false, true)) return;
        Thread t = new Thread(ChildProcess.SERVICE, () -> {
            try {
                synchronized (this) {
                    if (spare != null && spare.isAlive()) return;
                }
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
            } finally {
                refilling.set(false);
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
        cmd.addAll(FLAGS);
        Path cds = archive.readyOrStartMaking(FLAGS);
        if (cds != null) {
            cmd.add("-XX:SharedArchiveFile=" + cds);
            cmd.add("-Xshare:auto");
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

    private static Path ownJar() {
        try {
            return Path.of(ChildLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
