package dev.spindle.timing;

/**
 * A piece of work to time, as a lambda: {@code () -> { a.join(); b.join(); }}. Unlike a
 * {@link Runnable} it may throw checked exceptions ({@code InterruptedException} from a join,
 * {@code IOException} ...), so timing code that waits for workers needs no try/catch. What it
 * throws reaches the cell unchanged.
 */
@FunctionalInterface
public interface Work {
    /** Does the work once. */
    void run() throws Exception;

    /** Runs {@code work}, rethrowing a checked exception as it is (not wrapped). */
    static void runUnchecked(Work work) {
        try {
            work.run();
        } catch (Exception e) {
            throw Work.<RuntimeException>sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }
}
