package dev.spindle.output;

/** Asks the frontend for a line of input on behalf of a cell (the stdin channel). */
public interface InputProvider {
    /** Blocks until the user answers; interruptible, so a stopped cell stops waiting. */
    String readLine(CellContext cell, String prompt, boolean password) throws InterruptedException;
}
