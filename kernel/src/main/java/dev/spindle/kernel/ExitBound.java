package dev.spindle.kernel;

import dev.spindle.output.KernelThread;

import java.util.logging.Logger;

/**
 * Bounds how long the kernel's exit can take. A cell may register a shutdown hook that never
 * ends; the JVM waits for every hook, so the kernel would never exit, its ports stay bound and
 * Jupyter has to kill it. Our own hook starts a watchdog that halts the JVM {@link #BOUND_MS}
 * after shutdown began, whatever the other hooks are doing; when they finish sooner, the JVM
 * exits sooner and the watchdog (a daemon) dies with it.
 */
final class ExitBound {
    static final long BOUND_MS = 2000;
    private static final Logger LOG = Logger.getLogger(ExitBound.class.getName());
    /** The status to halt with: 143 (128 + SIGTERM) unless the kernel itself chose to exit. */
    private static volatile int status = 143;

    private ExitBound() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(KernelThread.create("spindle-exit-bound", () ->
                KernelThread.start("spindle-exit-watchdog", () -> {
                    try {
                        Thread.sleep(BOUND_MS);
                    } catch (InterruptedException e) {
                        // only the kernel can interrupt a kernel thread; halt now
                    }
                    LOG.warning(() -> "shutdown hooks still running after " + BOUND_MS + " ms: halting");
                    Runtime.getRuntime().halt(status);
                })));
    }

    /** Exits with {@code code}; the hooks get {@link #BOUND_MS} to finish. */
    static void exit(int code) {
        status = code;
        System.exit(code);
    }
}
