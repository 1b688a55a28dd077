package dev.spindle.concurrent;

import java.time.Duration;

/** Nothing arrived on a {@link SharedQueue} within the timeout (Python's {@code queue.Empty}). */
public class QueueTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Nothing arrived within {@code timeout}. */
    public QueueTimeoutException(Duration timeout) {
        super("no item arrived within " + timeout.toMillis() + " ms");
    }
}
