package dev.spindle.output;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Who owns output: one per cell run. Everything the cell, its threads and its child processes
 * print or display is charged to it. Threads inherit the context of the thread that created
 * them, so output follows work, not time.
 * <p>
 * Opaque on purpose: it carries no request header or routing identities. The protocol layer
 * keeps the map from a context to the request that started it, so output packages never see a
 * Jupyter message. Equality is identity.
 */
public final class CellContext {
    private final int executionCount;
    private final boolean allowStdin;
    private final OutputBudget budget;

    /**
     * @param executionCount the cell's execution count, or 0 when silent
     * @param allowStdin     whether the frontend accepts input requests for this cell
     * @param budget         how much stream text the cell may publish
     */
    public CellContext(int executionCount, boolean allowStdin, OutputBudget budget) {
        this.executionCount = executionCount;
        this.allowStdin = allowStdin;
        this.budget = budget;
    }

    public int executionCount() {
        return executionCount;
    }

    public boolean allowStdin() {
        return allowStdin;
    }

    public OutputBudget budget() {
        return budget;
    }

    @Override
    public String toString() {
        return "CellContext[" + executionCount + "]";
    }

    /** Bytes of stream text a cell may publish before the rest is dropped with a notice. */
    public static final class OutputBudget {
        final long limit;
        final AtomicLong published = new AtomicLong();
        final AtomicLong droppedBytes = new AtomicLong();
        final AtomicLong droppedLines = new AtomicLong();
        volatile boolean noticeSent;
        /** Set at the cut: from then on everything is dropped, so what was shown is one piece. */
        volatile boolean cut;
        /** The last dropped text ended inside a line: that line counts too. */
        volatile boolean partialLine;
        /** The cell's reply has gone: drops from now on get a notice of their own, later. */
        volatile boolean finished;
        /** When unreported drops began and when the latest happened (System.nanoTime). */
        volatile long firstUnreportedDrop, lastDrop;

        public OutputBudget(long limit) {
            this.limit = limit;
        }

        public long droppedBytes() {
            return droppedBytes.get();
        }
    }
}
