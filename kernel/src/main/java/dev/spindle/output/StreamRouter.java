package dev.spindle.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Package {@code output} owns where a cell's output goes: System.out/err/in routed to the cell
 * that owns the writing thread, batching and per-cell budgets, displays, and the typed
 * {@link Publisher} seam the protocol implements. No Jupyter JSON or message shapes here.
 * <p>
 * This class owns {@code System.out} and {@code System.err}: every write is charged to the cell that
 * owns the writing thread ({@link CellContexts#current()}) and published as a stream message
 * whose parent is that cell, even long after the cell finished.
 * <p>
 * Writes are batched: a buffer is published when it passes {@link #BATCH_BYTES} or after
 * {@link #BATCH_MILLIS} of quiet, whichever comes first, so a tight print loop produces a
 * few large messages instead of thousands of tiny ones. Each cell has a byte budget; past it
 * output is cut at a line boundary, counted, not sent, and a notice says how much was not shown:
 * when the cell's reply goes, and again for output that its threads print after the reply.
 * <p>
 * A cell may replace {@code System.out} or {@code System.err} (or set them to null); after each
 * cell the kernel puts its own streams back ({@link #reclaimStandardStreams}) and says so.
 */
public final class StreamRouter {
    static final int BATCH_BYTES = 32 * 1024;
    static final long BATCH_MILLIS = 30;
    /** Output dropped after a cell's reply is reported once it pauses this long... */
    static final long LATE_NOTICE_QUIET_NANOS = 200_000_000L;
    /** ...or at the latest this long after the first unreported drop, for a flood that never pauses. */
    static final long LATE_NOTICE_MAX_NANOS = 2_000_000_000L;

    private final Publisher publisher;
    private final PrintStream kernelLog;
    private final Map<CellContext, CellBuffer> buffers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dirty = lock.newCondition();
    private boolean pending;
    private final Thread flusher;
    private final PrintStream routedOut = new RoutedPrintStream(this, "stdout");
    private final PrintStream routedErr = new RoutedPrintStream(this, "stderr");
    private volatile boolean installed;

    public StreamRouter(Publisher publisher, PrintStream kernelLog) {
        this.publisher = publisher;
        this.kernelLog = kernelLog;
        this.flusher = KernelThread.create("spindle-stream-flusher", this::flushLoop);
    }

    /** Replaces {@code System.out} and {@code System.err}; call once at start. */
    public void install() {
        startFlusher();
        installed = true;
        System.setOut(routedOut);
        System.setErr(routedErr);
    }

    /** Starts the thread that sends batches and late notices (tests start it without install). */
    void startFlusher() {
        flusher.start();
    }

    /**
     * Puts the kernel's {@code System.out}/{@code System.err} back if {@code cell} replaced them
     * (a cell's {@code System.setOut(x)} would send every later cell's output to x, and
     * {@code System.setErr(null)} would break every later cell), and says so in the cell.
     * Returns whether anything was replaced.
     */
    public boolean reclaimStandardStreams(CellContext cell) {
        if (!installed) return false;
        List<String> replaced = new ArrayList<>(2);
        if (System.out != routedOut) {
            replaced.add("System.out");
            System.setOut(routedOut);
        }
        if (System.err != routedErr) {
            replaced.add("System.err");
            System.setErr(routedErr);
        }
        if (replaced.isEmpty()) return false;
        print(cell, "stderr", String.format("%n[spindle] this cell replaced %s; the kernel has put back its own"
                + " stream%s, so output keeps reaching the notebook. To write to a file, print to a PrintStream"
                + " of your own.%n", String.join(" and ", replaced), replaced.size() > 1 ? "s" : ""));
        return true;
    }

    /** Prints into {@code cell} from any thread, e.g. a report the kernel adds after a cell. */
    public void print(CellContext cell, String stream, String text) {
        if (cell == null || text.isEmpty()) return;
        append(cell, stream, text);
    }

    void write(String stream, String text) {
        if (text.isEmpty()) return;
        CellContext cell = CellContexts.current();
        if (cell == null) {
            kernelLog.print(text);
            kernelLog.flush();
            return;
        }
        append(cell, stream, text);
    }

    private void append(CellContext cell, String stream, String text) {
        CellBuffer buffer = buffers.computeIfAbsent(cell, CellBuffer::new);
        boolean full;
        synchronized (buffer) {
            full = buffer.append(stream, text);
        }
        if (full) flush(buffer);
        else signal();
    }

    /** Nanoseconds until the next late notice is due: 0 if one is due now, MAX_VALUE if none waits. */
    private long lateNoticeDelay(long now) {
        long delay = Long.MAX_VALUE;
        for (CellBuffer b : buffers.values()) {
            CellContext.OutputBudget budget = b.cell.budget();
            if (!budget.finished || budget.droppedBytes.get() == 0) continue;
            long due = Math.min(budget.lastDrop + LATE_NOTICE_QUIET_NANOS,
                    budget.firstUnreportedDrop + LATE_NOTICE_MAX_NANOS);
            delay = Math.min(delay, Math.max(0, due - now));
        }
        return delay;
    }

    /** Reports output dropped after a cell's reply, once it pauses (see {@link #LATE_NOTICE_QUIET_NANOS}). */
    private void sendLateNotices() {
        long now = System.nanoTime();
        for (CellBuffer b : buffers.values()) {
            CellContext.OutputBudget budget = b.cell.budget();
            if (!budget.finished || budget.droppedBytes.get() == 0) continue;
            if (now - budget.lastDrop < LATE_NOTICE_QUIET_NANOS
                    && now - budget.firstUnreportedDrop < LATE_NOTICE_MAX_NANOS) continue;
            synchronized (b.publishing) {
                flush(b);
                reportDropped(b.cell);
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            if (!pending) {
                pending = true;
                dirty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        while (true) {
            try {
                lock.lock();
                try {
                    long wait = lateNoticeDelay(System.nanoTime());
                    while (!pending && wait > 0) {
                        if (wait == Long.MAX_VALUE) dirty.await();
                        else dirty.awaitNanos(wait);
                        wait = lateNoticeDelay(System.nanoTime());
                    }
                    if (pending) {
                        // Let more output arrive so it leaves as one message.
                        dirty.await(BATCH_MILLIS, TimeUnit.MILLISECONDS);
                        pending = false;
                    }
                } finally {
                    lock.unlock();
                }
                flushAll();
                sendLateNotices();
            } catch (InterruptedException e) {
                // A kernel thread: only the kernel could interrupt it, and it never does.
            }
        }
    }

    public void flushAll() {
        for (CellBuffer b : buffers.values()) flush(b);
    }

    /** Publishes what {@code cell} has buffered; call before its reply so output precedes it. */
    public void flush(CellContext cell) {
        CellBuffer b = buffers.get(cell);
        if (b != null) flush(b);
    }

    /**
     * Flushes the cell and, if its budget cut anything, says how much. The buffer stays: the
     * cell's threads may go on printing after the reply.
     */
    public void finishCell(CellContext cell) {
        CellBuffer b = buffers.get(cell);
        if (b == null) {
            reportDropped(cell);
        } else {
            synchronized (b.publishing) {
                flush(b);
                reportDropped(cell);
            }
        }
        cell.budget().finished = true;
        // Drops that raced with the report above are the flusher's now: wake it for them.
        if (cell.budget().droppedBytes.get() > 0) signal();
    }

    private void reportDropped(CellContext cell) {
        CellContext.OutputBudget budget = cell.budget();
        long bytes = budget.droppedBytes.getAndSet(0);
        if (bytes == 0) return;
        long lines = budget.droppedLines.getAndSet(0) + (budget.partialLine ? 1 : 0);
        budget.partialLine = false;
        publish(cell, "stderr", String.format(
                "%n[spindle] %,d more line%s (%,d bytes) of output %s not shown: this cell passed its"
                        + " output limit of %,d bytes.%n", lines, lines == 1 ? "" : "s", bytes,
                lines == 1 ? "was" : "were", budget.limit));
    }

    /** Forgets cells whose output has all been sent, keeping memory flat over many cells. */
    public void forgetIdle(CellContext keep) {
        buffers.entrySet().removeIf(e -> e.getKey() != keep && e.getValue().isEmpty());
    }

    private void flush(CellBuffer b) {
        // Drain and publish as one step: otherwise the flusher thread may have drained a batch
        // and not yet queued it when the cell's own flush (before its reply) finds the buffer
        // empty, and the batch goes out after the reply and "idle", where clients drop it.
        synchronized (b.publishing) {
            List<Segment> segments;
            synchronized (b) {
                segments = b.drain();
            }
            // One publisher queue keeps these in order with everything else the cell publishes.
            for (Segment s : segments) publish(b.cell, s.stream, s.text.toString());
        }
    }

    private void publish(CellContext cell, String stream, String text) {
        publisher.stream(cell, stream, text);
    }

    private static final class Segment {
        final String stream;
        final StringBuilder text = new StringBuilder();

        Segment(String stream) {
            this.stream = stream;
        }
    }

    /** Pending text of one cell, as runs of one stream each, in write order. */
    private static final class CellBuffer {
        final CellContext cell;
        /** Held while a drained batch is being queued, so flushes of one cell stay in order. */
        final Object publishing = new Object();
        List<Segment> segments = new ArrayList<>();
        int size;

        CellBuffer(CellContext cell) {
            this.cell = cell;
        }

        boolean isEmpty() {
            synchronized (this) {
                // A late notice still to send keeps the buffer, so the flusher finds it.
                return segments.isEmpty() && cell.budget().droppedBytes.get() == 0;
            }
        }

        /** Returns true when the buffer should be sent now. */
        boolean append(String stream, String text) {
            CellContext.OutputBudget budget = cell.budget();
            if (budget.cut) {
                drop(budget, text);
                return false;
            }
            long used = budget.published.get();
            if (used + text.length() <= budget.limit) {
                budget.published.addAndGet(text.length());
                add(stream, text);
                return size >= BATCH_BYTES;
            }
            // Past the limit: keep the whole lines that fit, drop the rest and all that follows.
            int room = (int) Math.max(0, Math.min(budget.limit - used, text.length()));
            int keep = room == 0 ? 0 : text.lastIndexOf('\n', room - 1) + 1;
            budget.cut = true;
            budget.published.addAndGet(keep);
            if (keep > 0) add(stream, text.substring(0, keep));
            drop(budget, text.substring(keep));
            if (!budget.noticeSent) {
                budget.noticeSent = true;
                add("stderr", String.format("%n[spindle] output truncated: this cell reached its limit of %,d"
                        + " bytes; further output is counted but not shown.%n", budget.limit));
            }
            return true;
        }

        private static void drop(CellContext.OutputBudget budget, String text) {
            if (text.isEmpty()) return;
            long now = System.nanoTime();
            if (budget.droppedBytes.getAndAdd(text.length()) == 0) budget.firstUnreportedDrop = now;
            budget.lastDrop = now;
            budget.droppedLines.addAndGet(text.chars().filter(c -> c == '\n').count());
            budget.partialLine = text.charAt(text.length() - 1) != '\n';
        }

        private void add(String stream, String text) {
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last == null || !last.stream.equals(stream)) {
                last = new Segment(stream);
                segments.add(last);
            }
            last.text.append(text);
            size += text.length();
        }

        List<Segment> drain() {
            List<Segment> out = segments;
            segments = new ArrayList<>();
            size = 0;
            return out;
        }
    }
}
