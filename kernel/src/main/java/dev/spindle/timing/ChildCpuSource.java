package dev.spindle.timing;

/**
 * Where CPU time of child processes (worker JVMs, CPython) comes from, so that {@code %%time}
 * and {@link Measurement} can count work done outside the kernel process. The kernel registers
 * one source per kind of child; with none registered, child CPU time is 0.
 * <pre>{@code
 * var reg = ChildCpuSource.register(() -> pool.totalChildCpuNanos());
 * ...
 * reg.close();   // when the pool shuts down
 * }</pre>
 */
@FunctionalInterface
public interface ChildCpuSource {
    /**
     * CPU time, in nanoseconds, used so far by all the children this source knows of, including
     * children that have already exited. It must never decrease: measurements subtract two
     * readings, so a child that exits must keep counting.
     */
    long childCpuNanos();

    /**
     * Adds {@code source} to the sources summed by {@link #totalNanos()}. Close the returned
     * registration to remove it.
     */
    static Registration register(ChildCpuSource source) {
        return ChildCpuRegistry.add(source);
    }

    /**
     * The sum over all registered sources (0 when none is). A source that throws counts as 0 for
     * that reading; a measurement never reports negative child time.
     */
    static long totalNanos() {
        return ChildCpuRegistry.total();
    }

    /** A registered source; {@link #close()} unregisters it. */
    interface Registration extends AutoCloseable {
        /** Removes the source; later calls do nothing. */
        @Override
        void close();
    }
}
