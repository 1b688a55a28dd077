package dev.spindle.concurrent;

import dev.spindle.internal.process.IpcHub;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;

import java.io.Serializable;
import java.time.Duration;

/**
 * A flag threads and child JVMs can wait on, like Python's {@code threading.Event} and
 * {@code multiprocessing.Event}: {@code set()}, {@code clear()}, {@code isSet()},
 * {@code await()}.
 */
public final class SharedEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long id;
    private final transient boolean remote;
    private transient boolean flag;

    /** A new event, not set. */
    public SharedEvent() {
        // Only a wait that may block needs a thread of its own.
        id = SharedObjects.register(this, IpcHub.served(this::apply, r -> !r.op().equals("await") || r.timeoutNanos() == 0));
        remote = false;
    }

    private SharedEvent(long id) {
        this.id = id;
        this.remote = true;
    }

    /** In a child: this event, operated on in the kernel. */
    static SharedEvent proxy(long id) {
        return new SharedEvent(id);
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        if (remote) {
            SharedObjects.call(id, "set", null, 0);
            return;
        }
        synchronized (this) {
            flag = true;
            notifyAll();
        }
    }

    /** Clears the flag; later waits block until the next {@link #set()}. */
    public void clear() {
        if (remote) {
            SharedObjects.call(id, "clear", null, 0);
            return;
        }
        synchronized (this) {
            flag = false;
        }
    }

    /** True while the flag is set. */
    public boolean isSet() {
        if (remote) return SharedObjects.call(id, "isSet", null, 0).number() != 0;
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
        if (remote) return SharedObjects.call(id, "await", null, nanos).number() != 0;
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

    /** Only the id travels (see {@link SharedObjects.Ref}). */
    private Object writeReplace() {
        return new SharedObjects.Ref(id, SharedObjects.EVENT);
    }

    @Override
    public String toString() {
        return "SharedEvent(" + (remote ? "in the kernel" : flag ? "set" : "not set") + ")";
    }
}
