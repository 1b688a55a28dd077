package dev.spindle.child;

import dev.spindle.internal.process.wire.FrameWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child's System.out/err: text goes to the kernel as frames, which print it in the cell
 * that started the child. Small writes are gathered for a few milliseconds so a print loop
 * does not cost one pipe write per line, and flushed at once on exit.
 */
final class FramedOutput extends OutputStream {
    private static final long LINGER_NANOS = 5_000_000;
    private final FrameWriter out;
    private final byte type;
    private final StringBuilder pending = new StringBuilder();
    private long firstPending;

    FramedOutput(FrameWriter out, byte type) {
        this.out = out;
        this.type = type;
    }

    static PrintStream printStream(FrameWriter out, byte type) {
        return new PrintStream(new FramedOutput(out, type), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (pending.length() == 0) firstPending = System.nanoTime();
        pending.append(new String(b, off, len, StandardCharsets.UTF_8));
    }

    /** PrintStream calls this after each println: send when a batch is old or big enough. */
    @Override
    public synchronized void flush() {
        if (pending.length() == 0) return;
        if (pending.length() < 16_384 && System.nanoTime() - firstPending < LINGER_NANOS
                && pending.charAt(pending.length() - 1) == '\n' && Flusher.scheduled(this)) return;
        send();
    }

    synchronized void send() {
        if (pending.length() == 0) return;
        String text = pending.toString();
        pending.setLength(0);
        try {
            out.text(type, text);
        } catch (IOException e) {
            // The kernel is gone; the child ends when its stdin closes.
        }
    }

    /** One daemon thread sends batches that nobody flushed after the linger time. */
    static final class Flusher {
        private static final java.util.Set<FramedOutput> DIRTY = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private static final Thread THREAD = new Thread(Flusher::loop, "spindle-child-flusher");

        static {
            THREAD.setDaemon(true);
            THREAD.start();
        }

        static boolean scheduled(FramedOutput o) {
            DIRTY.add(o);
            java.util.concurrent.locks.LockSupport.unpark(THREAD);
            return true;
        }

        private static void loop() {
            while (true) {
                if (DIRTY.isEmpty()) java.util.concurrent.locks.LockSupport.park();
                java.util.concurrent.locks.LockSupport.parkNanos(LINGER_NANOS);
                for (FramedOutput o : DIRTY) {
                    DIRTY.remove(o);
                    o.send();
                }
            }
        }

        static void flushAll() {
            for (FramedOutput o : DIRTY) {
                DIRTY.remove(o);
                o.send();
            }
        }
    }
}
