package dev.spindle.concurrent;

import dev.spindle.internal.process.IpcHub;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A FIFO queue that threads and child JVMs share, like Python's {@code multiprocessing.Queue}
 * (and {@code JoinableQueue}): {@code put}, {@code get}, {@code taskDone}, {@code join}.
 * Pass it into a process task and the child's {@code put}/{@code get} reach this very queue.
 * Items cross process boundaries by serialization, so they must be {@code Serializable}.
 * <pre>{@code
 * var q = new SharedQueue<String>();
 * Workers.process("p", () -> q.put("Hello from process")).start();
 * q.get()   // "Hello from process"
 * }</pre>
 */
public final class SharedQueue<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long id;
    private final transient LinkedBlockingQueue<Object> items;
    private final transient Object unfinishedLock;
    private transient long unfinished;
    /**
     * Children blocked in {@code get()}, oldest first. No kernel thread waits for them: a put
     * hands its item straight to the first one (the putting thread writes the reply), so an
     * item reaches a waiting child with no thread handoff in the kernel. Guarded by itself;
     * {@link #items} only grows while it is empty, which is what makes the handoff race-free.
     */
    private final transient ArrayDeque<RemoteGet> waiting;

    /** A new, empty, unbounded queue owned by this kernel. */
    public SharedQueue() {
        items = new LinkedBlockingQueue<>();
        unfinishedLock = new Object();
        waiting = new ArrayDeque<>();
        id = SharedObjects.register(this, new Served());
    }

    private SharedQueue(long id) {
        this.id = id;
        this.items = null;
        this.unfinishedLock = null;
        this.waiting = null;
    }

    /** In a child: this queue, operated on in the kernel. */
    static SharedQueue<?> proxy(long id) {
        return new SharedQueue<>(id);
    }

    private boolean remote() {
        return items == null;
    }

    /** Adds {@code item} at the tail. */
    public void put(T item) {
        if (remote()) {
            SharedObjects.call(id, "put", bytes(item), 0);
            return;
        }
        synchronized (unfinishedLock) {
            unfinished++;
        }
        offer(item == null ? NULL : item);
    }

    /** To the oldest child waiting in get(), else into the queue. */
    private void offer(Object item) {
        while (true) {
            RemoteGet w;
            synchronized (waiting) {
                w = waiting.poll();
                if (w == null) {
                    items.add(item);
                    return;
                }
            }
            if (w.deliver(item)) return;
            // that child is gone: the item goes to the next one, or waits in the queue
        }
    }

    /** Removes and returns the head, waiting as long as it takes. */
    public T get() {
        return take(-1);
    }

    /**
     * Removes and returns the head, waiting at most {@code timeout}; throws
     * {@link QueueTimeoutException} if nothing arrived (Python's {@code queue.Empty}).
     */
    public T get(Duration timeout) {
        T v = take(timeout.toNanos());
        if (v == TIMED_OUT_MARK) throw new QueueTimeoutException(timeout);
        return v;
    }

    /** The head if there is one now, else null. */
    public T poll() {
        T v = take(0);
        return v == TIMED_OUT_MARK ? null : v;
    }

    @SuppressWarnings("unchecked")
    private T take(long timeoutNanos) {
        if (remote()) {
            IpcReply r = SharedObjects.call(id, "get", null, timeoutNanos);
            if (r.timedOut()) return (T) TIMED_OUT_MARK;
            return (T) value(r.value(), SharedObjects.taskLoader());
        }
        try {
            Object v = timeoutNanos < 0 ? items.take() : items.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (v == null) return (T) TIMED_OUT_MARK;
            return v == NULL ? null : (T) v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting on the queue", e);
        }
    }

    /** Marks one item taken with {@code get} as processed (for {@link #join()}). */
    public void taskDone() {
        if (remote()) {
            SharedObjects.call(id, "taskDone", null, 0);
            return;
        }
        synchronized (unfinishedLock) {
            if (unfinished == 0) throw new IllegalStateException("taskDone() called more times than items were put");
            if (--unfinished == 0) unfinishedLock.notifyAll();
        }
    }

    /** Waits until every item put has been marked done with {@link #taskDone()}. */
    public void join() {
        if (remote()) {
            SharedObjects.call(id, "join", null, -1);
            return;
        }
        synchronized (unfinishedLock) {
            while (unfinished > 0) {
                try {
                    unfinishedLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted in join()", e);
                }
            }
        }
    }

    /** Items waiting now. */
    public int size() {
        return remote() ? (int) SharedObjects.call(id, "size", null, 0).number() : items.size();
    }

    /** True when no item waits now. */
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public String toString() {
        return "SharedQueue#" + id + (remote() ? " (in the kernel)" : "[" + items.size() + " waiting]");
    }

    // ---- the kernel side of remote calls --------------------------------------------------

    /** Answers children: at once on their frame reader thread, except join() (a pool thread). */
    private final class Served implements IpcHub.Shared {
        @Override
        public boolean answersAtOnce(IpcRequest r) {
            return !r.op().equals("join");
        }

        @Override
        public void handle(IpcRequest r, IpcHub.Reply reply) {
            if (r.op().equals("get")) get(r.timeoutNanos(), reply);
            else IpcHub.Shared.super.handle(r, reply);
        }

        @Override
        public IpcReply apply(IpcRequest r) {
            ClassLoader loader = SharedObjects.cellLoader();
            switch (r.op()) {
                case "put" -> {
                    put(uncheckedCast(value(r.value(), loader)));
                    return OK;
                }
                case "taskDone" -> {
                    taskDone();
                    return OK;
                }
                case "join" -> {
                    join();
                    return OK;
                }
                case "size" -> {
                    return new IpcReply(null, items.size(), false, null);
                }
                default -> {
                    return new IpcReply(null, 0, false, "unknown queue operation " + r.op());
                }
            }
        }
    }

    /** A child's get: the head now if there is one, else the child waits (no kernel thread does). */
    private void get(long timeoutNanos, IpcHub.Reply reply) {
        Object v;
        RemoteGet w = null;
        synchronized (waiting) {
            v = items.poll();
            if (v == null && timeoutNanos != 0) {
                waiting.removeIf(g -> !g.reply.open()); // children that ended while waiting
                w = new RemoteGet(reply);
                waiting.add(w);
            }
        }
        if (v != null) {
            if (!reply.send(answer(v))) offer(v); // the child died meanwhile: keep the item
        } else if (w == null) {
            reply.send(TIMED_OUT);
        } else if (timeoutNanos > 0) {
            RemoteGet waiter = w;
            w.timeout = IpcHub.schedule(() -> {
                boolean stillWaiting;
                synchronized (waiting) {
                    stillWaiting = waiting.remove(waiter);
                }
                if (stillWaiting) waiter.reply.send(TIMED_OUT);
            }, timeoutNanos);
        }
    }

    private IpcReply answer(Object v) {
        try {
            return new IpcReply(bytes(v == NULL ? null : v), 0, false, null);
        } catch (RuntimeException e) {
            return new IpcReply(null, 0, false, String.valueOf(e));
        }
    }

    /** A child blocked in get(), answered by whoever puts next (or by the timer). */
    private final class RemoteGet {
        final IpcHub.Reply reply;
        volatile java.util.concurrent.Future<?> timeout;

        RemoteGet(IpcHub.Reply reply) {
            this.reply = reply;
        }

        /** False when the child could not take it (it ended): then the item is not used up. */
        boolean deliver(Object item) {
            java.util.concurrent.Future<?> t = timeout;
            if (t != null) t.cancel(false);
            return reply.send(answer(item));
        }
    }

    private static final IpcReply OK = new IpcReply(null, 0, false, null);
    private static final IpcReply TIMED_OUT = new IpcReply(null, 0, true, null);

    @SuppressWarnings("unchecked")
    private T uncheckedCast(Object o) {
        return (T) o;
    }

    private static byte[] bytes(Object o) {
        return SharedObjects.encode(o, "queue items");
    }

    private static Object value(byte[] b, ClassLoader loader) {
        return SharedObjects.decode(b, loader, "queue items");
    }

    /** Only the id travels (see {@link SharedObjects.Ref}). */
    private Object writeReplace() throws ObjectStreamException {
        return new SharedObjects.Ref(id, SharedObjects.QUEUE);
    }

    private static final Object NULL = new Object();
    private static final Object TIMED_OUT_MARK = new Object();
}
