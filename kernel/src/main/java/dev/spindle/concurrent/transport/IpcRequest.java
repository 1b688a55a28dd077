package dev.spindle.concurrent.transport;

import java.io.Serializable;

/** An operation a child asks the kernel to perform on a shared object, by id. */
public record IpcRequest(long objectId, String op, byte[] value, long timeoutNanos) implements Serializable {
}
