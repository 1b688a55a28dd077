package dev.spindle.timing;

import java.util.function.LongSupplier;

/**
 * Where the time the kernel spent compiling cell code comes from: javac, loading the compiled
 * classes, starting JShell. In a notebook every statement is compiled just before it runs, so a
 * {@link Measurement} started in one statement and stopped in a later one would count the
 * compiling of the statements in between. It leaves that time out of the wall and CPU times it
 * reports and gives it apart as {@link TimeReport#compile()}, as IPython's {@code %time} does.
 * <p>
 * The kernel registers the source at start; without one, compile time is 0.
 */
public final class CompileTime {
    private static volatile LongSupplier wall = () -> 0, cpu = () -> 0;

    private CompileTime() {
    }

    /**
     * Sets the clocks: nanoseconds of wall time cells spent waiting for their code to be
     * compiled, and of CPU time spent compiling. Both only ever grow.
     */
    public static void use(LongSupplier wallNanos, LongSupplier cpuNanos) {
        wall = wallNanos;
        cpu = cpuNanos;
    }

    static long wallNanos() {
        return read(wall);
    }

    static long cpuNanos() {
        return read(cpu);
    }

    private static long read(LongSupplier s) {
        try {
            return Math.max(0, s.getAsLong());
        } catch (RuntimeException e) {
            return 0; // a broken source must not break the timing of the user's cell
        }
    }
}
