package dev.spindle.internal.process;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a child JVM starts: the kernel's own {@code java.home} and jar, a class-data-sharing
 * archive of the child runtime (made in the background on first use) and flags chosen for a
 * fast start. Keeps spare JVMs started after the first use, so the next process worker skips
 * the JVM start entirely: one, or as many as process workers have run at once.
 * <p>
 * The class path is the kernel's jar, then every library added to the cells since the kernel
 * started ({@code %maven}, {@code %classpath}), in the order added. A JVM's class path is fixed
 * at its start, so adding a library replaces the spares (they would not see it); a child already
 * running keeps its own. Appending after the jar keeps the class-data archive usable: the JVM
 * accepts a class path that extends the one the archive was dumped with.
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

    /**
     * At most this many spares: one per core a process could run on, and never more than 4
     * (each idle spare holds ~40 MB).
     */
    /** A task running this long gets its replacement spare started beside it anyway. */
    static final long REFILL_LATEST_MS = 2000;
    static final int MAX_SPARES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Path jar = ownJar();
    private final WorkerRuntime runtime;
    private final ChildArchive archive;
    /** Replaced whole, never edited: a start reads one consistent list. */
    private volatile List<String> defaultOptions = List.of();
    /** Libraries after the jar; replaced whole, like the options. */
    private volatile List<Path> classPath = List.of();
    /** Started, idle JVMs, oldest first; guarded by this. */
    private final ArrayDeque<ChildProcess> spares = new ArrayDeque<>();
    /** Spares being started now; guarded by this. */
    private int booting;
    /**
     * How many spares to keep: as many as process workers have run at once since spares were
     * turned on (a notebook that starts two processes together gets two), at most MAX_SPARES.
     */
    private volatile int wanted = 1;
    private volatile boolean keepSpare = true;
    /**
     * Spares unused this long are ended (each holds an idle JVM's memory): a notebook left open
     * does not keep them for hours. They come back with the next process worker.
     */
    private volatile long spareIdleNanos = TimeUnit.SECONDS.toNanos(Long.getLong("spindle.spareIdleSeconds", 60));
    /** When a process worker last started (a spare taken or a JVM launched). */
    private volatile long lastLaunchNanos = System.nanoTime();

    ChildLauncher(WorkerRuntime runtime) {
        this.runtime = runtime;
        this.archive = new ChildArchive(java, jar, runtime);
    }

    /** JVM options every child gets, e.g. {@code -Xmx512m}; per-call options come after. */
    void setDefaultOptions(List<String> options) {
        defaultOptions = List.copyOf(options);
        discardSpare();
    }

    List<String> defaultOptions() {
        return defaultOptions;
    }

    /** Adds libraries for children started from now on, and restarts the spares with them. */
    void addClassPath(List<Path> entries) {
        boolean hadSpares;
        synchronized (this) {
            List<Path> next = new ArrayList<>(classPath);
            for (Path p : entries) if (!next.contains(p)) next.add(p);
            if (next.size() == classPath.size()) return;
            classPath = List.copyOf(next);
            hadSpares = !spares.isEmpty() || booting > 0;
            spares.forEach(ChildProcess::kill);
            spares.clear();
        }
        // Spares are kept only once process workers are in use: then a fresh one is worth its start now.
        if (hadSpares) refillSpares();
    }

    /** Libraries every child started now gets, after the kernel's jar. */
    List<Path> classPath() {
        return classPath;
    }

    /** Whether {@code c} was started with the options and class path a new child would get now. */
    private boolean current(ChildProcess c) {
        return c.options.equals(defaultOptions) && c.classPath.equals(classPath);
    }

    void keepSpare(boolean keep) {
        keepSpare = keep;
        if (!keep) {
            wanted = 1;
            discardSpare();
        }
    }

    /**
     * A started child, taking a spare when its options match.
     *
     * @param running process workers running now, this one included: how many spares to keep
     */
    ChildProcess launch(List<String> extraOptions, int running) throws IOException {
        lastLaunchNanos = System.nanoTime();
        IpcHub.schedule(this::retireIdleSpares, spareIdleNanos);
        if (running > wanted) wanted = Math.min(running, MAX_SPARES);
        ChildProcess taken = null;
        synchronized (this) {
            for (Iterator<ChildProcess> it = spares.iterator(); it.hasNext(); ) {
                ChildProcess s = it.next();
                if (s.isAlive() && current(s)) {
                    if (taken == null && extraOptions.isEmpty()) {
                        taken = s;
                        it.remove();
                    }
                } else {
                    s.kill();
                    it.remove();
                }
            }
        }
        ChildProcess child = taken != null ? taken : start(extraOptions);
        // The next spares start when this child's task is over, or after REFILL_LATEST_MS if it
        // runs longer, not now: a JVM starting takes most of a core for ~100 ms, which a task
        // just started (or a second process started with it) needs on a 2-core machine.
        // Measured: a spare start took 12 ms with the refill booting beside it.
        if (keepSpare && extraOptions.isEmpty()) {
            child.whenFinished(this::refillSpares);
            IpcHub.schedule(this::refillSpares, TimeUnit.MILLISECONDS.toNanos(REFILL_LATEST_MS));
        }
        return child;
    }

    /** A pool's JVM: takes a spare like a process worker, and counts as one. */
    ChildProcess launch(List<String> extraOptions) throws IOException {
        return launch(extraOptions, 1);
    }

    /** Starts the missing spares, all at once: two JVMs booting on two cores take as long as one. */
    private void refillSpares() {
        int missing;
        synchronized (this) {
            spares.removeIf(s -> !s.isAlive());
            missing = keepSpare ? wanted - spares.size() - booting : 0;
            if (missing <= 0) return;
            booting += missing;
        }
        for (int i = 0; i < missing; i++) {
            Thread t = new Thread(ChildProcess.SERVICE, this::startSpare, "spindle-spare-child");
            t.setDaemon(true);
            t.start();
        }
    }

    private void startSpare() {
        ChildProcess c = null;
        try {
            c = start(List.of());
        } catch (IOException e) {
            LOG.log(Level.FINE, "no spare child", e);
        }
        boolean stale;
        synchronized (this) {
            booting--;
            // Options, class path or the setting may have changed while it started: then it is no use.
            if (c != null && keepSpare && spares.size() < wanted && current(c)) {
                spares.add(c);
                IpcHub.schedule(this::retireIdleSpares, Math.max(0, spareIdleNanos - (System.nanoTime() - lastLaunchNanos)));
                return;
            }
            stale = c != null && !c.classPath.equals(classPath);
        }
        if (c != null) c.kill();
        // A library was added while it booted: its replacement starts with the new class path.
        if (stale) refillSpares();
    }

    /** How long spares may stay unused before they are ended; {@code Duration.ZERO} ends them once idle now. */
    void spareIdleTime(java.time.Duration idle) {
        if (idle.isNegative()) throw new IllegalArgumentException("idle time must not be negative: " + idle);
        spareIdleNanos = idle.toNanos();
        IpcHub.schedule(this::retireIdleSpares, spareIdleNanos);
    }

    /**
     * Ends the spares when no process worker started for the idle time; the next one finds
     * none, starts its own JVM, and refills them as it ends (starting from one again).
     */
    private void retireIdleSpares() {
        if (System.nanoTime() - lastLaunchNanos < spareIdleNanos) return;
        synchronized (this) {
            if (spares.isEmpty()) return;
            LOG.fine(() -> "ending " + spares.size() + " spare JVM(s), unused for "
                    + TimeUnit.NANOSECONDS.toSeconds(spareIdleNanos) + " s");
            wanted = 1;
            spares.forEach(ChildProcess::kill);
            spares.clear();
        }
    }

    synchronized void discardSpare() {
        spares.forEach(ChildProcess::kill);
        spares.clear();
    }

    private ChildProcess start(List<String> extraOptions) throws IOException {
        List<String> options = defaultOptions;
        List<Path> libraries = classPath;
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
        StringBuilder cp = new StringBuilder(jar.toString());
        for (Path lib : libraries) cp.append(File.pathSeparatorChar).append(lib);
        cmd.add(cp.toString());
        cmd.add("dev.spindle.child.ChildMain");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        List<String> all = new ArrayList<>(options);
        all.addAll(extraOptions);
        return new ChildProcess(p, extraOptions.isEmpty() ? options : all, libraries, runtime);
    }

    private static Path ownJar() {
        try {
            return Path.of(ChildLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
