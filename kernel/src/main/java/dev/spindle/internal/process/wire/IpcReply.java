package dev.spindle.internal.process.wire;

import java.io.IOException;

/**
 * The kernel's answer: a value (by {@link Wire#encode}), a number, a timeout, or an error
 * message. Travels in {@link Wire}'s binary form ({@link #encode()}, {@link #decode}).
 */
public record IpcReply(byte[] value, long number, boolean timedOut, String error) {

    /** The reply as the payload of a {@link Frame#IPC_REPLY} frame. */
    public byte[] encode() {
        try (Wire.Out out = new Wire.Out(32 + (value == null ? 0 : value.length))) {
            out.bytes(value);
            out.writeLong(number);
            out.writeBoolean(timedOut);
            out.string(error);
            return out.toByteArray();
        } catch (IOException e) {
            throw Wire.unchecked(e);
        }
    }

    /** Reads what {@link #encode()} wrote. */
    public static IpcReply decode(byte[] payload) throws IOException {
        try (Wire.In in = new Wire.In(payload)) {
            IpcReply r = new IpcReply(in.bytes(), in.readLong(), in.readBoolean(), in.string());
            in.end();
            return r;
        }
    }
}
