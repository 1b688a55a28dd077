package dev.spindle.concurrent;

import java.io.Serializable;

/**
 * One number in shared memory, like Python's {@code multiprocessing.Value}: threads and child
 * JVMs see the same value and can update it atomically.
 * <pre>{@code
 * var counter = new SharedValue(0);
 * var ws = List.of(Workers.process(() -> counter.incrementAndGet()), Workers.process(() -> counter.incrementAndGet()));
 * }</pre>
 */
public final class SharedValue implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SharedArray cell;

    /** A shared long starting at {@code initial}. */
    public SharedValue(long initial) {
        cell = SharedArray.of(initial);
    }

    /** A shared double starting at {@code initial} (use the double accessors). */
    public static SharedValue ofDouble(double initial) {
        SharedValue v = new SharedValue(0);
        v.setDouble(initial);
        return v;
    }

    /** The current value. */
    public long get() {
        return cell.get(0);
    }

    /** Sets the value. */
    public void set(long value) {
        cell.set(0, value);
    }

    /** Adds one atomically; returns the new value. */
    public long incrementAndGet() {
        return cell.addAndGet(0, 1);
    }

    /** Adds {@code delta} atomically; returns the new value. */
    public long addAndGet(long delta) {
        return cell.addAndGet(0, delta);
    }

    /** Sets {@code update} if the value is {@code expect}; true if it did. */
    public boolean compareAndSet(long expect, long update) {
        return cell.compareAndSet(0, expect, update);
    }

    /** The current value, as a double. */
    public double getDouble() {
        return cell.getDouble(0);
    }

    /** Sets the value, as a double. */
    public void setDouble(double value) {
        cell.setDouble(0, value);
    }

    /** Adds {@code delta} atomically, as doubles; returns the new value. */
    public double addDouble(double delta) {
        return cell.addDouble(0, delta);
    }

    @Override
    public String toString() {
        return "SharedValue(" + get() + ")";
    }
}
