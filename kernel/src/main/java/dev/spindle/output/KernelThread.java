package dev.spindle.output;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread of the kernel itself (a socket loop, the IOPub publisher, the output flusher), out of
 * reach of cell code's interrupts. Cell code can reach every thread of the JVM
 * ({@code Thread.getAllStackTraces()}, {@code getThreadGroup().getParent().interrupt()}), and
 * an interrupt in the middle of a ZeroMQ call breaks the socket or ends the loop: the kernel
 * would lose a reply, fall silent or exit. So {@link #interrupt()} is ignored unless it comes
 * from another kernel thread (e.g. an executor shutting down its own workers).
 * <p>
 * Kernel threads are daemons and marked as kernel threads for output routing: what they print
 * goes to the kernel log, never to a cell.
 */
public final class KernelThread extends Thread {
    private KernelThread(ThreadGroup group, Runnable task, String name) {
        super(group, task, name);
        setDaemon(true);
    }

    /** A kernel thread running {@code task}, not yet started. */
    public static KernelThread create(String name, Runnable task) {
        return create(null, name, task);
    }

    /** A kernel thread in {@code group} (null: the creator's group), not yet started. */
    public static KernelThread create(ThreadGroup group, String name, Runnable task) {
        return new KernelThread(group, () -> {
            CellContexts.markKernelThread();
            task.run();
        }, name);
    }

    /** Creates and starts a kernel thread. */
    public static KernelThread start(String name, Runnable task) {
        KernelThread t = create(name, task);
        t.start();
        return t;
    }

    /** A factory of kernel threads named {@code prefix}, {@code prefix-2}, ... for executors. */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            int i = n.incrementAndGet();
            return create(i == 1 ? prefix : prefix + "-" + i, task);
        };
    }

    /** Ignored unless called from a kernel thread: cell code must not break the kernel's loops. */
    @Override
    public void interrupt() {
        if (Thread.currentThread() instanceof KernelThread) super.interrupt();
    }
}
