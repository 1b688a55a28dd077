package dev.spindle.internal.process.wire;

import java.io.IOException;

/**
 * An operation a child asks the kernel to perform on a shared object, by id. Travels in
 * {@link Wire}'s binary form ({@link #encode()}, {@link #decode}).
 *
 * @param value        the argument by {@link Wire#encode}, or null
 * @param timeoutNanos how long a waiting operation may wait; negative: as long as it takes
 */
public record IpcRequest(long objectId, String op, byte[] value, long timeoutNanos) {

    /** The request as the payload of a {@link Frame#IPC_REQUEST} frame. */
    public byte[] encode() {
        try (Wire.Out out = new Wire.Out(32 + op.length() + (value == null ? 0 : value.length))) {
            out.writeLong(objectId);
            out.writeUTF(op);
            out.bytes(value);
            out.writeLong(timeoutNanos);
            return out.toByteArray();
        } catch (IOException e) {
            throw Wire.unchecked(e);
        }
    }

    /** Reads what {@link #encode()} wrote. */
    public static IpcRequest decode(byte[] payload) throws IOException {
        try (Wire.In in = new Wire.In(payload)) {
            IpcRequest r = new IpcRequest(in.readLong(), in.readUTF(), in.bytes(), in.readLong());
            in.end();
            return r;
        }
    }
}
