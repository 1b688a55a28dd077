package dev.spindle.concurrent;

import dev.spindle.internal.process.WorkerRuntime;

import java.util.Arrays;

/** Pools of workers of each kind; see {@link Pool}. */
public final class Pools {
    private Pools() {
    }

    /** {@code n} platform threads. */
    public static Pool threads(int n) {
        return new ThreadPool(n, false);
    }

    /** A new virtual thread per task (Java 21+). */
    public static Pool virtual() {
        return new ThreadPool(0, true);
    }

    /** {@code n} child JVMs, started now and kept warm until {@link Pool#close()}. */
    public static Pool processes(int n, String... jvmOptions) {
        return WorkerRuntime.current().newProcessPool(n, Arrays.asList(jvmOptions));
    }

    /** A pool of the given kind and size: the one-word switch as a value. */
    public static Pool of(WorkerKind kind, int n) {
        return switch (kind) {
            case THREAD -> threads(n);
            case VIRTUAL -> virtual();
            case PROCESS -> processes(n);
        };
    }
}
