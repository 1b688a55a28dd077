package dev.spindle.maven;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of a resolution's downloads in the cell: one display, updated in place, that
 * counts files and bytes. It appears only once downloading has gone on for {@link #SHOW_AFTER_NS}
 * (a resolution from the local repository shows nothing but its summary) and is updated at most
 * every {@link #EVERY_NS}, so a thousand small files do not flood the frontend.
 */
final class DownloadProgress implements Resolver.Progress {
    static final long SHOW_AFTER_NS = 300_000_000L;
    static final long EVERY_NS = 200_000_000L;

    private final MavenMagics.Console console;
    private final java.util.function.LongSupplier clock;
    private final long start;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile String current = "";
    private MavenMagics.Live live;
    private long lastShown;
    private boolean finished;

    DownloadProgress(MavenMagics.Console console) {
        this(console, System::nanoTime);
    }

    DownloadProgress(MavenMagics.Console console, java.util.function.LongSupplier clock) {
        this.console = console;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    @Override
    public void started(String resource) {
        started.incrementAndGet();
        current = resource;
        maybeShow();
    }

    @Override
    public void transferred(long n) {
        bytes.addAndGet(n);
        maybeShow();
    }

    @Override
    public void finished(String resource, long size, boolean ok) {
        if (ok) done.incrementAndGet();
        maybeShow();
    }

    /** The last word in the display, if one was shown. */
    synchronized void done(boolean ok) {
        finished = true;
        if (live != null) live.update(line(ok ? "downloaded" : "stopped after"));
    }

    /** Whether the display was shown (a slow resolution). */
    synchronized boolean shown() {
        return live != null;
    }

    private synchronized void maybeShow() {
        if (finished) return;
        long now = clock.getAsLong();
        if (live == null) {
            if (now - start < SHOW_AFTER_NS) return;
            live = console.live(line("downloading"));
            lastShown = now;
            return;
        }
        if (now - lastShown < EVERY_NS) return;
        lastShown = now;
        live.update(line("downloading"));
    }

    private String line(String verb) {
        double s = (clock.getAsLong() - start) / 1e9;
        String tail = verb.equals("downloading") && !current.isEmpty() ? "  " + current : "";
        return String.format("%s %d of %d file%s, %s, %.1f s%s", verb, done.get(), started.get(),
                started.get() == 1 ? "" : "s", bytes(bytes.get()), s, tail);
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format("%.1f KB", n / 1024.0);
        return String.format("%.1f MB", n / (1024.0 * 1024));
    }
}
