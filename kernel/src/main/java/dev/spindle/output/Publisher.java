package dev.spindle.output;

import com.google.gson.JsonObject;

/**
 * Where output goes: the protocol layer implements this with its IOPub publisher. Keeping it
 * an interface lets output code and tests run without sockets.
 */
public interface Publisher {
    /** Publishes {@code content} as an IOPub message of {@code type} whose parent is the cell. */
    void publish(CellContext cell, String type, JsonObject content);
}
