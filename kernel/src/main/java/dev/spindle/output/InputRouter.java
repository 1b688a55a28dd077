package dev.spindle.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Replaces {@code System.in}: a read from a cell asks the frontend for a line (an
 * input_request) when the frontend allows it, and fails at once with a clear message when it
 * does not, instead of blocking forever on a stdin nobody writes to.
 */
public final class InputRouter extends InputStream {
    private final StreamRouter output;
    private final Publisher publisher;
    private byte[] line = new byte[0];
    private int pos;

    public InputRouter(StreamRouter output, Publisher publisher) {
        this.output = output;
        this.publisher = publisher;
    }

    public void install() {
        System.setIn(this);
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) return -1;
        return line[pos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - pos;
    }

    private boolean fill() throws IOException {
        if (pos < line.length) return true;
        CellContext cell = CellContexts.current();
        if (cell == null) return false;
        if (!cell.allowStdin()) {
            throw new IllegalStateException("System.in is not available: this frontend does not accept"
                    + " input for this cell (allow_stdin is false). Run the cell from a notebook or"
                    + " console that supports input, or pass the data in code.");
        }
        output.flush(cell); // a prompt printed with print() must show before the input box
        try {
            line = (publisher.requestInput(cell, "", false) + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        }
    }
}
