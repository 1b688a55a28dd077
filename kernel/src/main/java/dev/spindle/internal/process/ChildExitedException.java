package dev.spindle.internal.process;

/** The child JVM ended without reporting a result: crashed, killed, or called System.exit. */
final class ChildExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChildExitedException(String name, long pid, int code) {
        super(describe(name, pid, code));
    }

    private static String describe(String name, long pid, int code) {
        String base = "process '" + name + "' (pid " + pid + ") ended without a result: ";
        if (code > 128 && code < 160) {
            int sig = code - 128;
            String sigName = switch (sig) {
                case 9 -> "SIGKILL";
                case 15 -> "SIGTERM";
                case 6 -> "SIGABRT";
                case 11 -> "SIGSEGV";
                case 2 -> "SIGINT";
                default -> "signal " + sig;
            };
            return base + "killed by " + sigName + " (exit code " + code + ")";
        }
        return base + "exit code " + code + (code == 0 ? "" : " (System.exit, a crash, or out of memory)");
    }
}
