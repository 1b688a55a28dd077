package dev.spindle.concurrent.transport;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a child needs to run one task like a fork of the notebook: cell classes, copies of the
 * top-level variables (each serialized on its own, so one that cannot be copied is named), and
 * the task itself.
 *
 * @param keepAlive a pool worker stays up for the next task; a plain process exits after one
 */
public record RunRequest(long taskId, String workerName, Map<String, byte[]> classes,
                         List<VariableCopy> variables, byte[] task, boolean keepAlive) implements Serializable {

    /** A top-level variable: static field {@code name} of cell class {@code className}. */
    public record VariableCopy(String className, String name, byte[] value) implements Serializable {
    }
}
