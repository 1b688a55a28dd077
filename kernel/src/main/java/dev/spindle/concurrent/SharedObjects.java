package dev.spindle.concurrent;

import dev.spindle.internal.process.IpcHub;
import dev.spindle.internal.process.WorkerRuntime;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.KernelLink;
import dev.spindle.internal.process.wire.Wire;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What the kernel-owned shared objects (SharedQueue, SharedEvent, SharedMap) have in common: the
 * object lives in the kernel under an id in the runtime's IPC hub; only that id travels ({@link Ref});
 * read in a child it becomes a proxy that calls the kernel, read back in the kernel it is the
 * object itself again.
 */
final class SharedObjects {
    /** The kinds of shared object a {@link Ref} can stand for. */
    static final int QUEUE = 1, EVENT = 2, MAP = 3;

    private SharedObjects() {
    }

    /** Registers a kernel-side {@code owner}, answered by {@code served}; returns its id. */
    static long register(Object owner, IpcHub.Shared served) {
        return WorkerRuntime.current().ipc().register(owner, served);
    }

    /** Forgets an object no child can reach any more. */
    static void unregister(long id) {
        WorkerRuntime.current().ipc().unregister(id);
    }

    /** From a proxy in a child: performs {@code op} in the kernel; an error there is thrown here. */
    static IpcReply call(long id, String op, byte[] value, long timeoutNanos) {
        IpcReply r = KernelLink.call(id, op, value, timeoutNanos);
        if (r.error() != null) throw new IllegalStateException(r.error());
        return r;
    }

    /** A value of a shared object as bytes; values must be Serializable to cross processes. */
    static byte[] encode(Object value, String what) {
        try {
            return Wire.encode(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " must be Serializable to cross processes: " + e.getMessage(), e);
        }
    }

    /** Reads a value back, resolving classes declared in cells through {@code loader}. */
    static Object decode(byte[] bytes, ClassLoader loader, String what) {
        try {
            return Wire.decode(bytes, loader != null ? loader : SharedObjects.class.getClassLoader());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read " + what + ": " + e, e);
        }
    }

    /** In the kernel: the loader of cell classes, for values a child sends. */
    static ClassLoader cellLoader() {
        return WorkerRuntime.current().cellClassLoader();
    }

    /** In a child: the loader of the running task, for values the kernel answers with. */
    static ClassLoader taskLoader() {
        return Thread.currentThread().getContextClassLoader();
    }

    /**
     * The serialized form of every shared object: its id and kind. A class, not a record: a child
     * JVM reads its first record through method handles it has to spin, ~25 ms of a process start.
     */
    static final class Ref implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long id;
        private final int kind;

        Ref(long id, int kind) {
            this.id = id;
            this.kind = kind;
        }

        private Object readResolve() throws ObjectStreamException {
            Object local = KernelLink.inChild() ? null : WorkerRuntime.current().ipc().owner(id);
            if (local != null) return local;
            return switch (kind) {
                case QUEUE -> SharedQueue.proxy(id);
                case EVENT -> SharedEvent.proxy(id);
                case MAP -> SharedMap.proxy(id);
                default -> throw new java.io.InvalidObjectException("unknown shared object kind " + kind);
            };
        }
    }
}
