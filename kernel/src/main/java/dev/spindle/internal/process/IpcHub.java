package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;

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
 * threads, so a child waiting in {@code get()} never blocks the frames of another. One hub per
 * {@link WorkerRuntime}; a child reaches it through {@link dev.spindle.internal.process.wire.KernelLink}.
 */
public final class IpcHub {
    /** An object children can operate on by id. */
    public interface Shared {
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
    public interface Reply {
        /** Sends the answer; false when the child is gone (the answer was not delivered). */
        boolean send(IpcReply answer);

        /** False once the child is gone: nobody waits for this answer any more. */
        default boolean open() {
            return true;
        }
    }

    /** A registered object: what answers children, and the kernel-side object itself. */
    private record Entry(Shared served, Object owner) {
    }

    private static final AtomicLong IDS = new AtomicLong();
    private final Map<Long, Entry> objects = new ConcurrentHashMap<>();

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
    public static ScheduledFuture<?> schedule(Runnable action, long nanos) {
        return Threads.TIMER.schedule(action, nanos, TimeUnit.NANOSECONDS);
    }

    IpcHub() {
    }

    /** Makes {@code owner} reachable from children by the returned id; {@code served} answers them. */
    public long register(Object owner, Shared served) {
        long id = IDS.incrementAndGet();
        objects.put(id, new Entry(served, owner));
        return id;
    }

    /** Forgets an object no child can reach any more. */
    public void unregister(long id) {
        objects.remove(id);
    }

    /** Forgets {@code owner}, for the kernel's own objects whose children are gone. */
    void forget(Object owner) {
        objects.values().removeIf(e -> e.owner() == owner);
    }

    /** The kernel-side object registered as {@code id}, or null (unknown here). */
    public Object owner(long id) {
        Entry e = objects.get(id);
        return e == null ? null : e.owner();
    }

    /** A shared object from its operations, answering on the reader thread when {@code atOnce} holds. */
    public static Shared served(Shared operations, java.util.function.Predicate<IpcRequest> atOnce) {
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

    /** In the kernel, on the thread reading the child's frames: answer a child's request. */
    void handle(Frame f, Reply reply) {
        IpcRequest req;
        try {
            req = IpcRequest.decode(f.payload());
        } catch (IOException e) {
            reply.send(new IpcReply(null, 0, false, "unreadable request: " + e));
            return;
        }
        Entry target = objects.get(req.objectId());
        if (target == null) {
            reply.send(new IpcReply(null, 0, false, "no shared object " + req.objectId() + " in this kernel"));
            return;
        }
        try {
            target.served().handle(req, reply);
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
