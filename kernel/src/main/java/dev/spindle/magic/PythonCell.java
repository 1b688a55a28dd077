package dev.spindle.magic;

import dev.spindle.facts.Load;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a cell's text with CPython, streaming its output into the cell as it comes, and records
 * its wall and CPU time. The interpreter is, in order: {@code --python PATH}, the environment
 * variable {@code SPINDLE_PYTHON}, the Python that started this kernel (Jupyter's), then
 * {@code python3} on the PATH.
 */
public final class PythonCell {
    /** Reports the CPU time of the Python process (and its children) when it ends. */
    private static final String FOOTER = "\nimport atexit as _sp_atexit, os as _sp_os\n"
            + "def _sp_report():\n"
            + "    t = _sp_os.times()\n"
            + "    open(_sp_os.environ['SPINDLE_PY_TIMES'], 'w').write(repr(t.user + t.system + t.children_user + t.children_system))\n"
            + "_sp_atexit.register(_sp_report)\n";

    private PythonCell() {
    }

    static PythonRun run(String args, String code) throws InterruptedException {
        List<String> argv = split(args);
        String python = null, label = "";
        boolean printTime = false;
        for (int i = 0; i < argv.size(); i++) {
            switch (argv.get(i)) {
                case "--python" -> python = argv.get(++i);
                case "--label", "-l" -> label = argv.get(++i);
                case "--time", "-t" -> printTime = true;
                default -> throw new IllegalArgumentException("%%python: unknown option " + argv.get(i)
                        + " (usage: %%python [--time] [--label NAME] [--python PATH])");
            }
        }
        String interpreter = python != null ? python : findPython().orElseThrow(() -> new IllegalStateException(
                "%%python needs Python 3: none found. Set SPINDLE_PYTHON to an interpreter, pass --python PATH,"
                        + " or install python3."));
        // The cell's source and its timing file live in a private directory of their own, which
        // goes away on every path out of here: failure to start, an error, an interrupt.
        Path work;
        try {
            work = Files.createTempDirectory("spindle-py-");
        } catch (IOException e) {
            throw new IllegalStateException("%%python: cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            return runIn(work, interpreter, label, printTime, code);
        } finally {
            deleteTree(work);
        }
    }

    private static PythonRun runIn(Path work, String interpreter, String label, boolean printTime, String code)
            throws InterruptedException {
        Path times = work.resolve("times.txt");
        Path script = work.resolve("cell.py");
        try {
            // The footer goes first, so it is registered even if the cell ends with an exception.
            Files.writeString(script, FOOTER + code, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("%%python: cannot write a temporary file: " + e.getMessage(), e);
        }
        ProcessBuilder pb = new ProcessBuilder(interpreter, "-u", script.toString());
        pb.environment().put("SPINDLE_PY_TIMES", times.toString());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The Python process and its children are the kernel's descendants, so the watch counts
        // only other programs' CPU as load.
        Load.Watch loadWatch = Load.watch();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("%%python: cannot start " + interpreter + ": " + e.getMessage(), e);
        }
        StringBuilder captured = new StringBuilder();
        Thread out = pump(p.getInputStream(), System.out, captured), err = pump(p.getErrorStream(), System.err, null);
        int code1;
        try {
            code1 = p.waitFor();
            out.join();
            err.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        Load load = loadWatch.stop();
        Duration cpu = Duration.ZERO;
        try {
            String t = Files.readString(times).trim();
            if (!t.isEmpty()) cpu = Duration.ofNanos((long) (Double.parseDouble(t) * 1e9));
        } catch (IOException | NumberFormatException e) {
            // no CPU figure: the interpreter died before its exit hook
        }
        PythonRun run = PythonRun.record(new PythonRun(label, code1, wall, cpu, captured.toString(), load));
        if (printTime) System.out.println(run);
        if (code1 != 0) {
            throw new IllegalStateException("%%python: the Python process exited with code " + code1);
        }
        return run;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: nothing else can be done about a temp file that will not go
        }
    }

    /** Kept of a cell's standard output for {@link PythonRun#number}: enough for any table of results. */
    private static final int CAPTURE_LIMIT = 1 << 20;

    private static Thread pump(InputStream in, PrintStream to, StringBuilder capture) {
        // The pump inherits the cell (it is created by the cell's thread), so its prints land there.
        Thread t = new Thread(() -> {
            // A reader, not raw chunks: a chunk boundary may fall inside a multi-byte character.
            char[] buf = new char[8192];
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                int n;
                while ((n = r.read(buf)) > 0) {
                    String s = new String(buf, 0, n);
                    to.print(s);
                    if (capture != null && capture.length() < CAPTURE_LIMIT) {
                        capture.append(s, 0, Math.min(n, CAPTURE_LIMIT - capture.length()));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "python-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static Optional<String> findPython() {
        String env = System.getenv("SPINDLE_PYTHON");
        if (env != null && !env.isBlank()) return Optional.of(env);
        Optional<String> parent = ProcessHandle.current().parent().flatMap(ph -> ph.info().command())
                .filter(c -> Path.of(c).getFileName().toString().startsWith("python"));
        if (parent.isPresent()) return parent;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path cand = Path.of(dir, "python3");
            if (Files.isExecutable(cand)) return Optional.of(cand.toString());
        }
        return Optional.empty();
    }

    static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        for (String s : args.trim().split("\\s+")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
