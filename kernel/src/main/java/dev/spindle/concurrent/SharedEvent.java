package dev.spindle.concurrent;

import dev.spindle.concurrent.transport.IpcReply;
import dev.spindle.concurrent.transport.IpcRequest;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A flag threads and child JVMs can wait on, like Python's {@code threading.Event} and
 * {@code multiprocessing.Event}: {@code set()}, {@code clear()}, {@code isSet()},
 * {@code await()}.
 */
public final class SharedEvent implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Long, SharedEvent> LOCAL = new ConcurrentHashMap<>();

    private final long id;
    private final transient boolean remote;
    private transient boolean flag;

    /** A new event, not set. */
    public SharedEvent() {
        // Only a wait that may block needs a thread of its own.
        id = IpcHub.register(IpcHub.served(this::apply, r -> !r.op().equals("await") || r.timeoutNanos() == 0));
        remote = false;
        LOCAL.put(id, this);
    }

    private SharedEvent(long id) {
        this.id = id;
        this.remote = true;
    }

    public void set() {
        if (remote) {
            IpcHub.call(id, "set", null, 0);
            return;
        }
        synchronized (this) {
            flag = true;
            notifyAll();
        }
    }

    public void clear() {
        if (remote) {
            IpcHub.call(id, "clear", null, 0);
            return;
        }
        synchronized (this) {
            flag = false;
        }
    }

    public boolean isSet() {
        if (remote) return IpcHub.call(id, "isSet", null, 0).number() != 0;
        synchronized (this) {
            return flag;
        }
    }

    /** Waits until the event is set. */
    public void await() {
        await(null);
    }

    /** Waits at most {@code timeout} (null: forever); true if the event is set. */
    public boolean await(Duration timeout) {
        long nanos = timeout == null ? -1 : timeout.toNanos();
        if (remote) return IpcHub.call(id, "await", null, nanos).number() != 0;
        long deadline = System.nanoTime() + nanos;
        synchronized (this) {
            while (!flag) {
                long left = deadline - System.nanoTime();
                if (nanos >= 0 && left <= 0) return false;
                try {
                    if (nanos < 0) wait();
                    else wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the event", e);
                }
            }
            return true;
        }
    }

    private IpcReply apply(IpcRequest r) {
        return switch (r.op()) {
            case "set" -> {
                set();
                yield new IpcReply(null, 1, false, null);
            }
            case "clear" -> {
                clear();
                yield new IpcReply(null, 0, false, null);
            }
            case "isSet" -> new IpcReply(null, isSet() ? 1 : 0, false, null);
            case "await" -> {
                boolean ok = await(r.timeoutNanos() < 0 ? null : Duration.ofNanos(r.timeoutNanos()));
                yield new IpcReply(null, ok ? 1 : 0, !ok, null);
            }
            default -> new IpcReply(null, 0, false, "unknown event operation " + r.op());
        };
    }

    private Object writeReplace() {
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

        private Object readResolve() {
            SharedEvent local = IpcHub.inChild() ? null : LOCAL.get(id);
            return local != null ? local : new SharedEvent(id);
        }
    }

    @Override
    public String toString() {
        return "SharedEvent(" + (remote ? "in the kernel" : flag ? "set" : "not set") + ")";
    }
}
