package dev.spindle.concurrent;

import dev.spindle.internal.process.AbstractWorker;
import dev.spindle.internal.process.WorkerRuntime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;

/**
 * A worker on a platform or virtual thread of the kernel JVM. It shares the notebook's memory;
 * its output goes to the cell that created it (threads inherit the cell context).
 */
final class ThreadWorker<T> extends AbstractWorker<T> {
    private static final long PID = ProcessHandle.current().pid();
    private final Callable<T> body;
    private final boolean virtual;
    private volatile Thread thread;

    ThreadWorker(String name, Callable<T> body, boolean virtual) {
        super(WorkerRuntime.current(), name);
        this.body = body;
        this.virtual = virtual;
        if (virtual && VirtualThreads.BUILDER == null) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or newer; this kernel runs Java "
                    + Runtime.version().feature() + ". Use Workers.thread(...) here, or install the kernel with a"
                    + " newer JDK (install/install.sh --java PATH).");
        }
    }

    @Override
    public WorkerKind kind() {
        return virtual ? WorkerKind.VIRTUAL : WorkerKind.THREAD;
    }

    @Override
    protected void launch() {
        Runnable run = () -> {
            try {
                finish(body.call(), null, 0);
            } catch (Throwable t) {
                finish(null, t, 1);
                if (!stoppedByKernel(t)) {
                    // As a plain thread's uncaught exception: the default handler if a cell set one.
                    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
                    if (handler != null) handler.uncaughtException(Thread.currentThread(), t);
                    else System.err.println("Exception in " + kind().name().toLowerCase() + " \"" + name + "\": " + t);
                }
            }
        };
        thread = virtual ? VirtualThreads.unstarted(name, run) : new Thread(run, name);
        thread.start();
    }

    /**
     * Also false once its thread has ended, even if the thread could not record how (a forced
     * stop that landed in its own clean-up): a worker whose thread is gone is not running.
     */
    @Override
    public boolean isAlive() {
        if (!super.isAlive()) return false;
        Thread t = thread;
        if (t == null || t.getState() != Thread.State.TERMINATED) return true;
        finish(null, new IllegalStateException("the thread of '" + name + "' ended without a result"), 1);
        return false;
    }

    @Override
    public long pid() {
        return PID;
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    /** The kernel's stop signals (an interrupted cell's check, {@code Thread.stop}) are no error of the task. */
    @SuppressWarnings("removal")
    private static boolean stoppedByKernel(Throwable t) {
        return t instanceof ThreadDeath || (t instanceof Error && t.getClass().getSimpleName().equals("CellStoppedError"));
    }

    /** The underlying thread, once started. */
    Thread thread() {
        return thread;
    }

    /** {@code Thread.ofVirtual()} through method handles: the kernel compiles for Java 17. */
    static final class VirtualThreads {
        /** Null before Java 21. */
        static final MethodHandle BUILDER;
        private static final MethodHandle NAME, UNSTARTED;

        static {
            MethodHandle builder = null, name = null, unstarted = null;
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
                builder = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
                name = l.findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class));
                unstarted = l.findVirtual(Class.forName("java.lang.Thread$Builder"), "unstarted",
                        MethodType.methodType(Thread.class, Runnable.class));
            } catch (ReflectiveOperationException e) {
                builder = null;
            }
            BUILDER = builder;
            NAME = name;
            UNSTARTED = unstarted;
        }

        static Thread unstarted(String name, Runnable r) {
            try {
                Object b = NAME.invoke(BUILDER.invoke(), name);
                return (Thread) UNSTARTED.invoke(b, r);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot create a virtual thread", e);
            }
        }
    }
}
