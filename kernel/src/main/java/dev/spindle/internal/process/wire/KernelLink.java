package dev.spindle.internal.process.wire;

import java.io.IOException;

/**
 * How a child JVM reaches the kernel for shared objects: the child runtime connects it once at
 * start, and a shared object in a child sends each operation through it. In the kernel it stays
 * unconnected, which is how an object tells that it runs in a child.
 */
public final class KernelLink {
    /** Sends one encoded {@link IpcRequest} to the kernel and returns the encoded {@link IpcReply}. */
    @FunctionalInterface
    public interface Channel {
        byte[] request(byte[] ipcRequest);
    }

    private static volatile Channel channel;

    private KernelLink() {
    }

    /** Called once in a child JVM: shared objects there become proxies to the kernel's. */
    public static void connect(Channel kernel) {
        channel = kernel;
    }

    /** True in a child JVM (connected to its kernel), false in the kernel. */
    public static boolean inChild() {
        return channel != null;
    }

    /** From a child: performs {@code op} on kernel object {@code id} and waits for the answer. */
    public static IpcReply call(long id, String op, byte[] value, long timeoutNanos) {
        try {
            return IpcReply.decode(channel.request(new IpcRequest(id, op, value, timeoutNanos).encode()));
        } catch (IOException e) {
            throw new IllegalStateException("shared object " + id + ": " + e, e);
        }
    }
}
