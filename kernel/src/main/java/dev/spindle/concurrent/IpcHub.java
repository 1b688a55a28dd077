package dev.spindle.concurrent;

import dev.spindle.concurrent.transport.Frame;
import dev.spindle.concurrent.transport.IpcReply;
import dev.spindle.concurrent.transport.IpcRequest;
import dev.spindle.concurrent.transport.Wire;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The kernel is the hub for objects shared with child JVMs: the real queue (or event, ...) lives
 * here, and children operate on it by id over their pipes. Blocking operations run on pool
 * threads, so a child waiting in {@code get()} never blocks the frames of another.
 */
public final class IpcHub {
    /** How a child reaches the kernel; set by the child runtime, null in the kernel. */
    public interface KernelLink {
        byte[] request(byte[] ipcRequest);
    }

    /** An object children can operate on by id. */
    interface Shared {
        IpcReply apply(IpcRequest request) throws Exception;
    }

    private static final Map<Long, Shared> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final ExecutorService BLOCKING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "spindle-ipc");
        t.setDaemon(true);
        return t;
    });
    private static volatile KernelLink link;

    private IpcHub() {
    }

    /** Called once in a child JVM: shared objects there become proxies to the kernel's. */
    public static void connectToKernel(KernelLink kernel) {
        link = kernel;
    }

    static boolean inChild() {
        return link != null;
    }

    static long register(Shared object) {
        long id = IDS.incrementAndGet();
        OBJECTS.put(id, object);
        return id;
    }

    /** Forgets an object no child can reach any more. */
    static void unregister(long id) {
        OBJECTS.remove(id);
    }

    static Shared lookup(long id) {
        return OBJECTS.get(id);
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
            return Wire.decode(bytes, loader != null ? loader : IpcHub.class.getClassLoader());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read " + what + ": " + e, e);
        }
    }

    /** From a child: perform {@code op} in the kernel and wait for the answer. */
    static IpcReply call(long id, String op, byte[] value, long timeoutNanos) {
        try {
            return IpcReply.decode(link.request(new IpcRequest(id, op, value, timeoutNanos).encode()));
        } catch (IOException e) {
            throw new IllegalStateException("shared object " + id + ": " + e, e);
        }
    }

    /** In the kernel: answer a child's request (off the frame-reading thread). */
    static void handle(Frame f, BiConsumer<Long, byte[]> reply) {
        BLOCKING.execute(() -> {
            IpcReply answer;
            try {
                IpcRequest req = IpcRequest.decode(f.payload());
                Shared target = OBJECTS.get(req.objectId());
                answer = target == null
                        ? new IpcReply(null, 0, false, "no shared object " + req.objectId() + " in this kernel")
                        : target.apply(req);
            } catch (Exception e) {
                answer = new IpcReply(null, 0, false, String.valueOf(e));
            }
            reply.accept(f.id(), answer.encode());
        });
    }

}
