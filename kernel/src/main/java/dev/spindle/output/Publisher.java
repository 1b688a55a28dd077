package dev.spindle.output;

/**
 * Where a cell's output goes, in plain Java types: the protocol layer implements this and turns
 * each call into a Jupyter message whose parent is the request that started {@code cell}. No
 * JSON and no message shapes on this side, so output code and its tests run without sockets.
 * Every method may be called from any thread, long after the cell finished.
 */
public interface Publisher {
    /** Text the cell wrote to {@code stream} ("stdout" or "stderr"). */
    void stream(CellContext cell, String stream, String text);

    /**
     * A new display. {@code data} maps MIME types to their text (base64 for binary types);
     * JSON types (application/json, *+json) hold JSON text and are sent as JSON.
     */
    void display(CellContext cell, MimeBundle data, String displayId);

    /** Replaces the display {@code displayId} wherever it is shown. */
    void updateDisplay(CellContext cell, MimeBundle data, String displayId);

    /** Clears the cell's output; with {@code wait}, only once new output arrives. */
    void clearOutput(CellContext cell, boolean wait);

    /**
     * Asks the frontend for a line of input on behalf of {@code cell} and blocks until it
     * answers; interruptible, so a stopped cell stops waiting.
     */
    String requestInput(CellContext cell, String prompt, boolean password) throws InterruptedException;
}
