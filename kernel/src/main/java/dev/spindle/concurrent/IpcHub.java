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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
        /** Performs the operation; may wait (a blocking get), unless {@link #answersAtOnce} said otherwise. */
        IpcReply apply(IpcRequest request) throws Exception;

        /**
         * True when {@link #apply} returns without waiting for anything: it then runs on the
         * thread that read the request, sparing a thread handoff per message.
         */
        default boolean answersAtOnce(IpcRequest request) {
            return false;
        }

        /**
         * Answers {@code request} now or later through {@code reply}. Runs on the thread that reads
         * the child's frames, so it must not wait: the default runs {@link #apply} right here when
         * it answers at once, else on a pool thread. An object that can wait without a thread
         * (a queue's get) overrides this.
         */
        default void handle(IpcRequest request, Reply reply) {
            if (answersAtOnce(request)) reply.send(applySafely(this, request));
            else Threads.BLOCKING.execute(() -> reply.send(applySafely(this, request)));
        }
    }

    /** Where the answer to one request goes: the child that asked. */
    interface Reply {
        /** Sends the answer; false when the child is gone (the answer was not delivered). */
        boolean send(IpcReply answer);

        /** False once the child is gone: nobody waits for this answer any more. */
        default boolean open() {
            return true;
        }
    }

    private static final Map<Long, Shared> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Kernel-side threads, made on first use (a holder class), so a child JVM never starts them. */
    private static final class Threads {
        /** For operations that wait. */
        static final ExecutorService BLOCKING = Executors.newCachedThreadPool(r -> daemon(r, "spindle-ipc"));
        /** Ends waits that no thread sits in (a child's get with a timeout); starts late spares. */
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "spindle-ipc-timer"));

        static {
            TIMER.setRemoveOnCancelPolicy(true);
        }

        // In the service group, whichever thread made them: a cell's group is stopped with the cell.
        private static Thread daemon(Runnable r, String name) {
            Thread t = new Thread(ChildProcess.SERVICE, r, name);
            t.setDaemon(true);
            return t;
        }
    }

    /** Runs {@code action} once after {@code nanos}, on a kernel timer thread. */
    static ScheduledFuture<?> schedule(Runnable action, long nanos) {
        return Threads.TIMER.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }

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

    /** A shared object from its operations, answering on the reader thread when {@code atOnce} holds. */
    static Shared served(Shared operations, java.util.function.Predicate<IpcRequest> atOnce) {
        return new Shared() {
            @Override
            public IpcReply apply(IpcRequest request) throws Exception {
                return operations.apply(request);
            }

            @Override
            public boolean answersAtOnce(IpcRequest request) {
                return atOnce.test(request);
            }
        };
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

    /** In the kernel, on the thread reading the child's frames: answer a child's request. */
    static void handle(Frame f, Reply reply) {
        IpcRequest req;
        try {
            req = IpcRequest.decode(f.payload());
        } catch (IOException e) {
            reply.send(new IpcReply(null, 0, false, "unreadable request: " + e));
            return;
        }
        Shared target = OBJECTS.get(req.objectId());
        if (target == null) {
            reply.send(new IpcReply(null, 0, false, "no shared object " + req.objectId() + " in this kernel"));
            return;
        }
        try {
            target.handle(req, reply);
        } catch (RuntimeException e) {
            reply.send(new IpcReply(null, 0, false, String.valueOf(e)));
        }
    }

    static IpcReply applySafely(Shared target, IpcRequest req) {
        try {
            return target.apply(req);
        } catch (Exception e) {
            return new IpcReply(null, 0, false, String.valueOf(e));
        }
    }
}
