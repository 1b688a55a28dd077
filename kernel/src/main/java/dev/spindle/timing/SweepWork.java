package dev.spindle.timing;

/**
 * Work that takes a benchmark sweep's parameter (a worker count, a size ...), as a lambda:
 * {@code n -> sumWithThreads(N, n)}. It may throw checked exceptions, like {@link Work}.
 */
@FunctionalInterface
public interface SweepWork {
    /** Does the work once for {@code parameter}. */
    void run(int parameter) throws Exception;
}
