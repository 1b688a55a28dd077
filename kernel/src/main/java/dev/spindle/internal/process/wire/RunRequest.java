package dev.spindle.internal.process.wire;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a child needs to run one task like a fork of the notebook: cell classes, copies of the
 * top-level variables (each encoded on its own, so one that cannot be copied is named), and
 * the task itself. Travels in {@link Wire}'s binary form ({@link #encode()}, {@link #decode}).
 *
 * @param keepAlive a pool worker stays up for the next task; a plain process exits after one
 */
public record RunRequest(long taskId, String workerName, Map<String, byte[]> classes,
                         List<VariableCopy> variables, byte[] task, boolean keepAlive) {

    /** A top-level variable: static field {@code name} of cell class {@code className}, its value by {@link Wire#encode}. */
    public record VariableCopy(String className, String name, byte[] value) {
    }

    /** The request as the payload of a {@link Frame#RUN} frame. */
    public byte[] encode() {
        int size = 64 + (task == null ? 0 : task.length);
        for (byte[] b : classes.values()) size += b.length + 64;
        for (VariableCopy v : variables) size += v.value().length + 64;
        try (Wire.Out out = new Wire.Out(size)) {
            out.writeLong(taskId);
            out.string(workerName);
            out.writeInt(classes.size());
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                out.string(e.getKey());
                out.bytes(e.getValue());
            }
            out.writeInt(variables.size());
            for (VariableCopy v : variables) {
                out.string(v.className());
                out.string(v.name());
                out.bytes(v.value());
            }
            out.bytes(task);
            out.writeBoolean(keepAlive);
            return out.toByteArray();
        } catch (IOException e) {
            throw Wire.unchecked(e); // a byte array stream does not fail
        }
    }

    /** Reads what {@link #encode()} wrote. */
    public static RunRequest decode(byte[] payload) throws IOException {
        try (Wire.In in = new Wire.In(payload)) {
            long taskId = in.readLong();
            String workerName = in.string();
            int nClasses = in.count();
            Map<String, byte[]> classes = new HashMap<>(Math.max(4, nClasses * 2));
            for (int i = 0; i < nClasses; i++) classes.put(in.string(), in.bytes());
            int nVars = in.count();
            List<VariableCopy> variables = new ArrayList<>(nVars);
            for (int i = 0; i < nVars; i++) variables.add(new VariableCopy(in.string(), in.string(), in.bytes()));
            byte[] task = in.bytes();
            boolean keepAlive = in.readBoolean();
            in.end();
            return new RunRequest(taskId, workerName, classes, variables, task, keepAlive);
        }
    }
}
