package dev.spindle.kernel;

import java.nio.file.Path;

/** Command-line options of the kernel process. */
record Options(Path connectionFile, Path log, boolean warmup, boolean help) {
    static final String USAGE = String.join("\n",
            "usage: java -jar spindle-kernel.jar --connection-file FILE [--log FILE]",
            "       java -jar spindle-kernel.jar --warmup",
            "  --connection-file FILE  Jupyter connection file (also accepted as the only argument)",
            "  --log FILE              kernel log (default: a new kernel-<time>-<pid>.log, mode 0600, in",
            "                          $XDG_STATE_HOME/spindle or ~/.local/state/spindle, mode 0700; the",
            "                          newest " + LogFiles.KEEP + " are kept)",
            "  --warmup                load the kernel's classes and exit (for a CDS archive)");

    static Options parse(String[] args) {
        Path connection = null, log = null;
        boolean warmup = false, help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--connection-file", "-f" -> connection = Path.of(value(args, ++i, a));
                case "--log" -> log = Path.of(value(args, ++i, a));
                case "--warmup" -> warmup = true;
                case "--help", "-h" -> help = true;
                default -> {
                    if (a.startsWith("-") || connection != null) throw new IllegalArgumentException("unexpected argument: " + a);
                    connection = Path.of(a);
                }
            }
        }
        if (!warmup && !help && connection == null) throw new IllegalArgumentException("no connection file given");
        return new Options(connection, log, warmup, help);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }
}
