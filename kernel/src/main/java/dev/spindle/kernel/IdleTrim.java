package dev.spindle.kernel;

import dev.spindle.output.KernelThread;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Gives memory back after bursts. JShell allocates tens of megabytes per compile, and the
 * serial collector only shrinks the heap at a full collection, so an idle kernel would keep
 * its peak footprint. One second after the last request finishes, first let the engine tidy up
 * (release replaced snippets, refresh javac's contexts), then, if the heap has grown past its
 * baseline, collect once (at most every five seconds). Never while a request runs.
 */
final class IdleTrim {
    private static final Logger LOG = Logger.getLogger(IdleTrim.class.getName());
    private static final long IDLE_MS = 1000;
    /** JShell's live data after warm-up is about 32 MB; a heap above this grew for a burst. */
    private static final long BASELINE_BYTES = 48L << 20;
    private static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
    private volatile long lastTrim;

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(KernelThread.factory("spindle-idle-trim"));
    private ScheduledFuture<?> pending;
    private int active;
    private final Runnable tidy;

    /** {@code tidy} runs on every idle trim, before the collection; it must give way to requests. */
    IdleTrim(Runnable tidy) {
        this.tidy = tidy;
    }

    /** A request started (shell or control): cancel any trim. */
    public synchronized void busy() {
        active++;
        if (pending != null) pending.cancel(false);
        pending = null;
    }

    /** A request finished: once none is left, trim if nothing starts within a second. */
    public synchronized void idle() {
        active = Math.max(0, active - 1);
        if (active > 0) return;
        if (pending != null) pending.cancel(false);
        pending = timer.schedule(this::trim, IDLE_MS, TimeUnit.MILLISECONDS);
    }

    private void trim() {
        synchronized (this) {
            if (active > 0 || pending == null || pending.isCancelled()) return;
        }
        try {
            tidy.run();
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "idle tidy-up failed", e);
        }
        synchronized (this) {
            if (active > 0) return; // a request came in meanwhile: no collection under it
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        // Committed, not used: "used" counts garbage too, which is what the collection frees.
        if (heap.getCommitted() < BASELINE_BYTES || System.nanoTime() - lastTrim < MIN_INTERVAL_NANOS) return;
        lastTrim = System.nanoTime();
        long t0 = System.nanoTime();
        System.gc();
        MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        LOG.fine(() -> String.format("idle trim: heap %d -> %d MB committed in %.0f ms",
                heap.getCommitted() >> 20, after.getCommitted() >> 20, (System.nanoTime() - t0) / 1e6));
    }
}
