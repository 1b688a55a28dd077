package dev.spindle.engine;

/**
 * Replaces {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in cell code (the
 * calls are rewritten by {@link CellCodeWeaver}): ending the JVM would end the kernel and lose
 * every variable of the notebook. Public only because woven cell code calls it.
 */
public final class ExitGuard {
    private ExitGuard() {
    }

    public static void exit(int status) {
        throw blocked("System.exit(" + status + ")");
    }

    public static void runtimeExit(Runtime runtime, int status) {
        throw blocked("Runtime.exit(" + status + ")");
    }

    public static void runtimeHalt(Runtime runtime, int status) {
        throw blocked("Runtime.halt(" + status + ")");
    }

    private static SecurityException blocked(String call) {
        return new SecurityException(call + " was blocked: it would end the kernel and lose the notebook's"
                + " state. Throw an exception to stop the cell, or restart the kernel from the menu.");
    }
}
