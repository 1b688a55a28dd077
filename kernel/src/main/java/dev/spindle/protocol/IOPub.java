package dev.spindle.protocol;

import com.google.gson.JsonObject;

/**
 * The broadcast side of the protocol: status, inputs, results and everything cells print.
 * The socket thread ({@link IOPubPublisher}) implements it in the kernel; tests record calls.
 * Callable from any thread.
 */
interface IOPub {
    /** Publishes a message of {@code type}; {@code parentHeader} may be null (no parent). */
    void publish(String type, JsonObject parentHeader, JsonObject content);
}
