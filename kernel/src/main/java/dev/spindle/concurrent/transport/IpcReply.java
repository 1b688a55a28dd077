package dev.spindle.concurrent.transport;

import java.io.Serializable;

/** The kernel's answer: a value, a number, a timeout, or an error message. */
public record IpcReply(byte[] value, long number, boolean timedOut, String error) implements Serializable {
}
