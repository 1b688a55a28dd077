package dev.spindle.internal.process.wire;

import java.io.IOException;

/**
 * How a task ended in a child: its result (by {@link Wire#encode}), or its exception (Java
 * serialization when that works, else described by {@code failure}). Travels in
 * {@link Wire}'s binary form ({@link #encode()}, {@link #decode}).
 */
public record TaskOutcome(long taskId, byte[] result, byte[] exception, RemoteFailure failure,
                          long pid, long cpuNanos) {

    /** An exception that could not be serialized, kept as text with its stack trace. */
    public record RemoteFailure(String className, String message, String[] stack) {
    }

    /** The outcome as the payload of a {@link Frame#RESULT} frame. */
    public byte[] encode() {
        try (Wire.Out out = new Wire.Out(64 + (result == null ? 0 : result.length) + (exception == null ? 0 : exception.length))) {
            out.writeLong(taskId);
            out.bytes(result);
            out.bytes(exception);
            out.writeBoolean(failure != null);
            if (failure != null) {
                out.string(failure.className());
                out.string(failure.message());
                out.writeInt(failure.stack().length);
                for (String line : failure.stack()) out.string(line);
            }
            out.writeLong(pid);
            out.writeLong(cpuNanos);
            return out.toByteArray();
        } catch (IOException e) {
            throw Wire.unchecked(e);
        }
    }

    /** Reads what {@link #encode()} wrote. */
    public static TaskOutcome decode(byte[] payload) throws IOException {
        try (Wire.In in = new Wire.In(payload)) {
            long taskId = in.readLong();
            byte[] result = in.bytes();
            byte[] exception = in.bytes();
            RemoteFailure failure = null;
            if (in.readBoolean()) {
                String className = in.string();
                String message = in.string();
                String[] stack = new String[in.count()];
                for (int i = 0; i < stack.length; i++) stack[i] = in.string();
                failure = new RemoteFailure(className, message, stack);
            }
            TaskOutcome o = new TaskOutcome(taskId, result, exception, failure, in.readLong(), in.readLong());
            in.end();
            return o;
        }
    }
}
