package dev.spindle.facts;

import dev.spindle.magic.PythonCell;

import dev.spindle.output.Html;
import dev.spindle.output.Json;
import dev.spindle.output.MimeBundle;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine a notebook's numbers were measured on, and the memory of processes on it.
 * {@code Machine.describe()} as a cell's last expression shows cores, CPU, memory, OS, JDK and
 * the Python that {@code %%python} uses, so a reader can judge every timing that follows.
 */
public final class Machine {
    /** The MIME type of the machine-readable form of {@link #describe()}. */
    public static final String MIME = "application/vnd.spindle.machine+json";

    private static volatile String pythonVersion;

    private Machine() {
    }

    /** Cores the JVM may use ({@code Runtime.availableProcessors()}). */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The Java runtime, e.g. "17.0.13+11 (Eclipse Adoptium OpenJDK 64-Bit Server VM)". */
    public static String jdk() {
        return System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?") + ")";
    }

    /** The Java feature release, e.g. 17 or 25. */
    public static int javaRelease() {
        return Runtime.version().feature();
    }

    /** The version of the Python that {@code %%python} runs, e.g. "Python 3.11.2", or "none found". */
    public static String python() {
        String v = pythonVersion;
        if (v == null) pythonVersion = v = askPython();
        return v;
    }

    /** The CPU model from /proc/cpuinfo, or the architecture where there is none. */
    public static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** Physical memory in MB, or -1 if the JVM cannot tell. */
    public static long memoryMegabytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() >> 20;
        }
        return -1;
    }

    /** The kernel's own process id: threads report this PID, child JVMs their own. */
    public static long kernelPid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Resident memory (RSS) of a process in MB, read from {@code /proc/PID/status}; -1 where there
     * is no /proc or the process is gone. Pass {@code worker.pid()} for a child JVM.
     */
    public static double rssMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such process, or not Linux
        }
        return -1;
    }

    /** Resident memory of the kernel process in MB (see {@link #rssMegabytes(long)}). */
    public static double kernelRssMegabytes() {
        return rssMegabytes(kernelPid());
    }

    /** Cores, CPU, memory, OS, JDK and Python, as a small table (HTML, text and JSON). */
    public static MimeBundle describe() {
        String cpu = cpu(), jdk = jdk(), python = python();
        long mem = memoryMegabytes();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("cores", Integer.toString(cores()));
        rows.put("CPU", cpu);
        rows.put("memory", mem < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GB", mem / 1024.0));
        rows.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        rows.put("JDK", jdk);
        rows.put("Python", python);
        StringBuilder text = new StringBuilder("Measured on:\n");
        StringBuilder html = new StringBuilder("<table style=\"font-size:13px\"><caption style=\"text-align:left\">"
                + "<b>Measured on</b></caption>");
        rows.forEach((k, v) -> {
            text.append(String.format(Locale.ROOT, "  %-7s %s%n", k, v));
            html.append("<tr><td style=\"text-align:left;padding-right:12px\">").append(k)
                    .append("</td><td style=\"text-align:left\">").append(Html.escape(v)).append("</td></tr>");
        });
        html.append("</table>");
        String json = Json.write(Json.obj(
                "cores", cores(),
                "java_release", javaRelease(),
                "jdk", jdk,
                "cpu", cpu,
                "memory_mb", mem,
                "python", python));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/html", html.toString());
        m.put(MIME, json);
        m.put("text/plain", text.toString().stripTrailing());
        return new MimeBundle(m);
    }

    private static String askPython() {
        Optional<String> python = PythonCell.findPython();
        if (python.isEmpty()) return "none found";
        try {
            Process p = new ProcessBuilder(python.get(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return python.get() + " (did not answer --version)";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return out.isEmpty() ? python.get() : out + " (" + python.get() + ")";
        } catch (IOException e) {
            return python.get() + " (cannot run: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return python.get();
        }
    }
}
