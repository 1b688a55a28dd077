package dev.spindle.concurrent;

import java.io.Serializable;
import java.time.Duration;

/**
 * Two connected ends, like Python's {@code multiprocessing.Pipe()}: what one end sends, the other
 * receives, in order, between any threads and child JVMs.
 * <pre>{@code
 * var pipe = Pipe.open();
 * var child = pipe.right();
 * Workers.process(() -> child.send("hi from the child")).start();
 * pipe.left().receive()   // "hi from the child"
 * }</pre>
 */
public final class Pipe implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Connection left, right;

    private Pipe() {
        SharedQueue<Object> toRight = new SharedQueue<>(), toLeft = new SharedQueue<>();
        left = new Connection(toRight, toLeft);
        right = new Connection(toLeft, toRight);
    }

    /** A new pipe. */
    public static Pipe open() {
        return new Pipe();
    }

    /** One end; give the other to the worker. */
    public Connection left() {
        return left;
    }

    /** The other end. */
    public Connection right() {
        return right;
    }

    /** One end of a {@link Pipe}. Values must be Serializable to reach a child JVM. */
    public static final class Connection implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SharedQueue<Object> out, in;

        Connection(SharedQueue<Object> out, SharedQueue<Object> in) {
            this.out = out;
            this.in = in;
        }

        /** Sends {@code value} to the other end. */
        public void send(Object value) {
            out.put(value);
        }

        /** Waits for the next value from the other end. */
        @SuppressWarnings("unchecked")
        public <T> T receive() {
            return (T) in.get();
        }

        /** Waits at most {@code timeout}; throws {@link QueueTimeoutException} if nothing came. */
        @SuppressWarnings("unchecked")
        public <T> T receive(Duration timeout) {
            return (T) in.get(timeout);
        }

        /** True if a value is waiting. */
        public boolean poll() {
            return !in.isEmpty();
        }

        @Override
        public String toString() {
            return "Pipe.Connection";
        }
    }
}
