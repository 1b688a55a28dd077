package dev.spindle.concurrent;

import dev.spindle.internal.process.WorkerRuntime;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock that excludes threads and child JVMs alike, like Python's {@code multiprocessing.Lock}
 * (for threads alone, {@code java.util.concurrent.locks.ReentrantLock} is the usual choice).
 * Use it with try-with-resources:
 * <pre>{@code
 * var lock = new ProcessLock();
 * try (var held = lock.acquire()) {
 *     counter.set(counter.get() + 1);
 * }
 * }</pre>
 * It holds an OS file lock (between processes) and a {@code ReentrantLock} (between the threads
 * of one JVM, which share one file lock).
 */
public final class ProcessLock implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private transient ReentrantLock local;
    private transient FileChannel channel;
    private transient FileLock fileLock;

    /** A new, unlocked lock. */
    public ProcessLock() {
        path = WorkerRuntime.current().sharedMemory().newFile("lock").toString();
    }

    /** A held lock; closing it releases the lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private synchronized ReentrantLock local() {
        if (local == null) local = new ReentrantLock();
        return local;
    }

    /** Waits for the lock and returns it held. */
    public Held acquire() {
        ReentrantLock l = local();
        l.lock();
        return lockFile(l);
    }

    /** Tries for at most {@code timeout}; null if the lock was not obtained. */
    public Held tryAcquire(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock l = local();
        if (!l.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) return null;
        try {
            while (true) {
                if (l.getHoldCount() > 1) return () -> l.unlock();
                FileLock fl = channel().tryLock();
                if (fl != null) {
                    fileLock = fl;
                    return release(l);
                }
                if (System.nanoTime() > deadline) {
                    l.unlock();
                    return null;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // another process holds it
            }
        } catch (IOException e) {
            l.unlock();
            throw new UncheckedIOException(e);
        }
    }

    private Held lockFile(ReentrantLock l) {
        if (l.getHoldCount() > 1) return () -> l.unlock();
        try {
            fileLock = channel().lock();
        } catch (IOException e) {
            l.unlock();
            throw new UncheckedIOException(e);
        }
        return release(l);
    }

    private Held release(ReentrantLock l) {
        return () -> {
            try {
                if (l.getHoldCount() == 1 && fileLock != null) {
                    fileLock.release();
                    fileLock = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                l.unlock();
            }
        };
    }

    private synchronized FileChannel channel() throws IOException {
        if (channel == null) channel = FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return channel;
    }

    @Override
    public String toString() {
        return "ProcessLock(" + Path.of(path).getFileName() + ")";
    }
}
