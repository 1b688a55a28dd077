package dev.spindle.concurrent;

import dev.spindle.concurrent.transport.IpcReply;
import dev.spindle.concurrent.transport.IpcRequest;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
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

    /** A new, empty, unbounded queue owned by this kernel. */
    public SharedQueue() {
        items = new LinkedBlockingQueue<>();
        unfinishedLock = new Object();
        id = IpcHub.register(this::apply);
        QUEUES.put(id, this);
    }

    private SharedQueue(long id) {
        this.id = id;
        this.items = null;
        this.unfinishedLock = null;
    }

    private boolean remote() {
        return items == null;
    }

    /** Adds {@code item} at the tail. */
    public void put(T item) {
        if (remote()) {
            check(IpcHub.call(id, "put", bytes(item), 0));
            return;
        }
        synchronized (unfinishedLock) {
            unfinished++;
        }
        items.add(item == null ? NULL : item);
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
            IpcReply r = check(IpcHub.call(id, "get", null, timeoutNanos));
            if (r.timedOut()) return (T) TIMED_OUT_MARK;
            return (T) value(r.value(), Thread.currentThread().getContextClassLoader());
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
            check(IpcHub.call(id, "taskDone", null, 0));
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
            check(IpcHub.call(id, "join", null, -1));
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
        return remote() ? (int) check(IpcHub.call(id, "size", null, 0)).number() : items.size();
    }

    /** True when no item waits now. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Forgets this queue in the kernel, for internal queues whose children are gone. */
    void discard() {
        IpcHub.unregister(id);
        QUEUES.remove(id);
    }

    @Override
    public String toString() {
        return "SharedQueue#" + id + (remote() ? " (in the kernel)" : "[" + items.size() + " waiting]");
    }

    // ---- the kernel side of remote calls --------------------------------------------------

    private IpcReply apply(IpcRequest r) throws Exception {
        ClassLoader loader = Workers.notebook().cellClassLoader();
        switch (r.op()) {
            case "put" -> {
                put(uncheckedCast(value(r.value(), loader)));
                return new IpcReply(null, 0, false, null);
            }
            case "get" -> {
                T v = take(r.timeoutNanos());
                if (v == TIMED_OUT_MARK) return new IpcReply(null, 0, true, null);
                return new IpcReply(bytes(v), 0, false, null);
            }
            case "taskDone" -> {
                taskDone();
                return new IpcReply(null, 0, false, null);
            }
            case "join" -> {
                join();
                return new IpcReply(null, 0, false, null);
            }
            case "size" -> {
                return new IpcReply(null, items.size(), false, null);
            }
            default -> {
                return new IpcReply(null, 0, false, "unknown queue operation " + r.op());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T uncheckedCast(Object o) {
        return (T) o;
    }

    private static IpcReply check(IpcReply r) {
        if (r.error() != null) throw new IllegalStateException(r.error());
        return r;
    }

    private static byte[] bytes(Object o) {
        return IpcHub.encode(o, "queue items");
    }

    private static Object value(byte[] b, ClassLoader loader) {
        return IpcHub.decode(b, loader, "queue items");
    }

    /** Only the id travels; in a child it becomes a proxy, back in the kernel the queue itself. */
    private Object writeReplace() throws ObjectStreamException {
        return new Ref(id);
    }

    /**
     * The serialized form. A class, not a record: a child JVM reads its first record through
     * method handles it has to spin, ~25 ms of a process start.
     */
    private static final class Ref implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long id;

        Ref(long id) {
            this.id = id;
        }

        private Object readResolve() throws ObjectStreamException {
            SharedQueue<?> local = IpcHub.inChild() ? null : QUEUES.get(id);
            return local != null ? local : new SharedQueue<>(id);
        }
    }

    private static final Object NULL = new Object();
    private static final Object TIMED_OUT_MARK = new Object();
    /** Kernel-side queues by id, so a queue that travels back to the kernel is itself again. */
    private static final java.util.Map<Long, SharedQueue<?>> QUEUES = new java.util.concurrent.ConcurrentHashMap<>();
}
