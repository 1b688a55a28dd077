package dev.spindle.internal.process.wire;

/**
 * One message between the kernel and a child JVM. {@code id} pairs requests with replies;
 * {@code payload} is whatever the type says (UTF-8 text, serialized objects, class bytes).
 */
public record Frame(byte type, long id, byte[] payload) {
    public String text() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }

    // kernel -> child
    public static final byte RUN = 1;          // payload: serialized RunRequest
    public static final byte CLASS_REPLY = 2;  // payload: class bytes, empty when unknown
    public static final byte IPC_REPLY = 3;    // payload: serialized reply object
    public static final byte STOP = 4;         // stop the running task and exit
    // child -> kernel
    public static final byte READY = 10;       // the child is up (payload: pid as text)
    public static final byte STDOUT = 11;      // payload: UTF-8 text
    public static final byte STDERR = 12;
    public static final byte RESULT = 13;      // payload: serialized TaskOutcome
    public static final byte CLASS_REQUEST = 14; // payload: binary class name
    public static final byte IPC_REQUEST = 15; // payload: serialized IpcRequest
    public static final byte NOISE = 99;       // bytes that were not a frame (JVM output on stdout)
}
