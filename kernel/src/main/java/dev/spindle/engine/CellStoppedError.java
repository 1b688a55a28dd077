package dev.spindle.engine;

/** Unwinds a thread of an interrupted cell. An Error, so ordinary catch blocks let it pass. */
public final class CellStoppedError extends Error {
    private static final long serialVersionUID = 1L;

    public CellStoppedError() {
        super("the cell was interrupted", null, false, false);
    }
}
