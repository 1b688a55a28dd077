package dev.spindle.concurrent;

/**
 * An exception thrown in a child JVM that could not be sent back as itself; it keeps the
 * child's class name, message and stack trace as text, and the child's pid.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String remoteClass;
    private final long pid;

    /** The child's exception as text: its class name, message, pid and stack trace. */
    public RemoteTaskException(String remoteClass, String message, long pid, StackTraceElement[] stack) {
        super(remoteClass + (message == null ? "" : ": " + message) + " (in process " + pid + ")");
        this.remoteClass = remoteClass;
        this.pid = pid;
        setStackTrace(stack);
    }

    /** Class name of the exception in the child. */
    public String remoteClass() {
        return remoteClass;
    }

    /** Pid of the child it was thrown in. */
    public long pid() {
        return pid;
    }
}
