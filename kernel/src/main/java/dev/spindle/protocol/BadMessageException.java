package dev.spindle.protocol;

/** A message that cannot be accepted: unsigned, wrongly signed, truncated or not JSON. */
public final class BadMessageException extends Exception {
    public BadMessageException(String reason) {
        super(reason);
    }
}
