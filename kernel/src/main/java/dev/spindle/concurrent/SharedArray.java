package dev.spindle.concurrent;

import dev.spindle.internal.process.SharedMemory;
import dev.spindle.internal.process.WorkerRuntime;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A fixed-size array of {@code long}s in shared memory (a memory-mapped file): threads and child
 * JVMs that hold it see the same numbers, with atomic updates, like Python's
 * {@code multiprocessing.Array('q', n)}. Double values are stored by their bits.
 * <pre>{@code
 * var counts = SharedArray.ofLength(4);
 * Workers.process(() -> counts.addAndGet(0, 1)).start();
 * }</pre>
 */
public final class SharedArray implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final String path;
    private final int length;
    private transient MappedByteBuffer buffer;

    private SharedArray(Path file, int length) {
        this.path = file.toString();
        this.length = length;
        this.buffer = SharedMemory.map(file, Math.max(8, (long) length * 8));
    }

    /** A new array of {@code length} zeros. */
    public static SharedArray ofLength(int length) {
        if (length < 0) throw new IllegalArgumentException("negative length");
        return new SharedArray(WorkerRuntime.current().sharedMemory().newFile("array"), length);
    }

    /** A new array holding {@code values}. */
    public static SharedArray of(long... values) {
        SharedArray a = ofLength(values.length);
        for (int i = 0; i < values.length; i++) a.set(i, values[i]);
        return a;
    }

    private MappedByteBuffer buf() {
        MappedByteBuffer b = buffer;
        if (b == null) {
            b = SharedMemory.map(Path.of(path), Math.max(8, (long) length * 8));
            buffer = b;
        }
        return b;
    }

    private int offset(int i) {
        if (i < 0 || i >= length) throw new IndexOutOfBoundsException("index " + i + " of a shared array of " + length);
        return i * 8;
    }

    /** Number of elements. */
    public int length() {
        return length;
    }

    /** Reads element {@code i} (a volatile read: sees the latest write from any process). */
    public long get(int i) {
        return (long) LONGS.getVolatile(buf(), offset(i));
    }

    /** Sets element {@code i} (visible to every process at once). */
    public void set(int i, long value) {
        LONGS.setVolatile(buf(), offset(i), value);
    }

    /** Atomically adds {@code delta} to element {@code i}; returns the new value. */
    public long addAndGet(int i, long delta) {
        return (long) LONGS.getAndAdd(buf(), offset(i), delta) + delta;
    }

    /** Atomically sets element {@code i} to {@code update} if it equals {@code expect}. */
    public boolean compareAndSet(int i, long expect, long update) {
        return LONGS.compareAndSet(buf(), offset(i), expect, update);
    }

    /** Element {@code i} read as a double. */
    public double getDouble(int i) {
        return Double.longBitsToDouble(get(i));
    }

    /** Sets element {@code i} to a double. */
    public void setDouble(int i, double value) {
        set(i, Double.doubleToRawLongBits(value));
    }

    /** Atomically adds to a double element (a compare-and-set loop). */
    public double addDouble(int i, double delta) {
        while (true) {
            long bits = get(i);
            double next = Double.longBitsToDouble(bits) + delta;
            if (compareAndSet(i, bits, Double.doubleToRawLongBits(next))) return next;
        }
    }

    /** A copy of the current values. */
    public long[] toArray() {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) out[i] = get(i);
        return out;
    }

    @Override
    public String toString() {
        return "SharedArray" + Arrays.toString(toArray());
    }

    private Object readResolve() throws ObjectStreamException {
        return this; // the buffer is mapped again on first use
    }
}
