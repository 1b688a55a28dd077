package dev.spindle.concurrent.transport;

import java.io.Serializable;

/**
 * How a task ended in a child: its serialized result, or its exception (serialized when that
 * works, else described by {@code failure}).
 */
public record TaskOutcome(long taskId, byte[] result, byte[] exception, RemoteFailure failure,
                          long pid, long cpuNanos) implements Serializable {

    /** An exception that could not be serialized, kept as text with its stack trace. */
    public record RemoteFailure(String className, String message, String[] stack) implements Serializable {
    }
}
