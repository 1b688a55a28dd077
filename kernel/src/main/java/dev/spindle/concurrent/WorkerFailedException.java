package dev.spindle.concurrent;

/** A worker's task failed: the message says which worker and where; the cause is the original. */
public class WorkerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed worker, with the exception it failed with as {@code cause}. */
    public WorkerFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
