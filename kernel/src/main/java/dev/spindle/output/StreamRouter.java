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
 * output is counted, not sent, and one notice says so.
 */
public final class StreamRouter {
    static final int BATCH_BYTES = 32 * 1024;
    static final long BATCH_MILLIS = 30;

    private final Publisher publisher;
    private final PrintStream kernelLog;
    private final Map<CellContext, CellBuffer> buffers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dirty = lock.newCondition();
    private boolean pending;
    private final Thread flusher;

    public StreamRouter(Publisher publisher, PrintStream kernelLog) {
        this.publisher = publisher;
        this.kernelLog = kernelLog;
        this.flusher = new Thread(this::flushLoop, "spindle-stream-flusher");
        flusher.setDaemon(true);
    }

    /** Replaces {@code System.out} and {@code System.err}; call once at start. */
    public void install() {
        flusher.start();
        System.setOut(new RoutedPrintStream(this, "stdout"));
        System.setErr(new RoutedPrintStream(this, "stderr"));
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
        CellContexts.markKernelThread();
        try {
            while (true) {
                lock.lock();
                try {
                    while (!pending) dirty.await();
                    // Let more output arrive so it leaves as one message.
                    dirty.await(BATCH_MILLIS, TimeUnit.MILLISECONDS);
                    pending = false;
                } finally {
                    lock.unlock();
                }
                flushAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        flush(cell);
        CellContext.OutputBudget budget = cell.budget();
        long lines = budget.droppedLines.getAndSet(0);
        long bytes = budget.droppedBytes.getAndSet(0);
        if (bytes > 0) {
            publish(cell, "stderr", String.format(
                    "%n[spindle] %,d more lines (%,d bytes) of output were not shown: this cell passed its"
                            + " output limit of %,d bytes.%n", lines, bytes, budget.limit));
        }
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
                return segments.isEmpty();
            }
        }

        /** Returns true when the buffer should be sent now. */
        boolean append(String stream, String text) {
            CellContext.OutputBudget budget = cell.budget();
            long used = budget.published.get();
            if (used + text.length() > budget.limit) {
                long room = Math.max(0, budget.limit - used);
                String kept = text.substring(0, (int) Math.min(room, text.length()));
                String cut = text.substring(kept.length());
                budget.droppedBytes.addAndGet(cut.length());
                budget.droppedLines.addAndGet(cut.chars().filter(c -> c == '\n').count());
                budget.published.addAndGet(kept.length());
                if (!kept.isEmpty()) add(stream, kept);
                if (!budget.noticeSent) {
                    budget.noticeSent = true;
                    add("stderr", String.format("%n[spindle] output truncated: this cell reached its limit of %,d"
                            + " bytes; further output is counted but not shown.%n", budget.limit));
                    return true;
                }
                return false;
            }
            budget.published.addAndGet(text.length());
            add(stream, text);
            return size >= BATCH_BYTES;
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
