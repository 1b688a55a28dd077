package dev.spindle.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How busy the machine was while something was measured: the CPU that processes other than
 * this kernel and its children (child JVMs, {@code %%python}) took, from Linux's
 * {@code /proc}. A speed-up measured while another program held a core says little about the
 * claim, so a {@link Claim} that {@linkplain Claim#needsCores needs cores} turns
 * "inconclusive" when fewer were free.
 *
 * <pre>{@code
 * var watch = Load.watch();
 * ... the measurement ...
 * Load load = watch.stop();          // e.g. "other processes: 0.04 of 2 cores over 3.1 s"
 * }</pre>
 *
 * @param wallSeconds       how long the watch ran
 * @param othersCpuSeconds  CPU time taken by every process outside the kernel's tree (NaN if unknown)
 * @param cores             cores this JVM may use
 * @param hostCpus          CPUs that {@code /proc/stat} counts, which other programs' CPU time
 *                          is spread over: more than {@code cores} in a container limited to
 *                          some of the host's CPUs
 */
public record Load(double wallSeconds, double othersCpuSeconds, int cores, int hostCpus) {
    private static final Path STAT = Path.of("/proc/stat");
    /** Linux reports /proc times in clock ticks of 1/100 s on every architecture Java runs on. */
    private static final double TICK_SECONDS = 0.01;

    /** A load on a machine whose CPUs are all this JVM's. */
    public Load(double wallSeconds, double othersCpuSeconds, int cores) {
        this(wallSeconds, othersCpuSeconds, cores, cores);
    }

    /** Starts watching the machine's load; {@link Watch#stop()} says what it was. */
    public static Watch watch() {
        return new Watch(System.nanoTime(), busyTicks(), ownTreeTicks());
    }

    /** A load that could not be read (no /proc): claims treat it as "not known", never as busy. */
    public static Load unknown(double wallSeconds) {
        return new Load(wallSeconds, Double.NaN, Machine.cores());
    }

    /** Whether the figures could be read on this system. */
    public boolean known() {
        return !Double.isNaN(othersCpuSeconds) && wallSeconds > 0;
    }

    /** On average, how many cores other processes kept busy. */
    public double othersCores() {
        return known() ? Math.max(0, othersCpuSeconds / wallSeconds) : Double.NaN;
    }

    /**
     * On average, how many cores were left for this kernel and its children: the host's CPUs
     * minus what others used, at most the cores this JVM may use (others may have run on CPUs
     * outside this container's share).
     */
    public double freeCores() {
        return known() ? Math.max(0, Math.min(cores, Math.max(cores, hostCpus) - othersCores())) : cores;
    }

    /** The load of two measurements taken one after the other, as one. */
    public Load plus(Load other) {
        if (!known() || !other.known()) return unknown(wallSeconds + other.wallSeconds);
        return new Load(wallSeconds + other.wallSeconds, othersCpuSeconds + other.othersCpuSeconds, cores,
                Math.max(hostCpus, other.hostCpus));
    }

    @Override
    public String toString() {
        if (!known()) return "machine load unknown (no /proc)";
        return String.format(Locale.ROOT, "other processes: %.2f of %d cores over %.1f s", othersCores(),
                Math.max(cores, hostCpus), wallSeconds);
    }

    /** A running watch; {@link #stop()} may be called more than once, each time from the start. */
    public static final class Watch {
        private final long startNanos;
        private final long startBusy;
        private final long startOwn;

        private Watch(long startNanos, long startBusy, long startOwn) {
            this.startNanos = startNanos;
            this.startBusy = startBusy;
            this.startOwn = startOwn;
        }

        /** The load from {@link Load#watch()} until now. */
        public Load stop() {
            long busy = busyTicks();
            long own = ownTreeTicks();
            double wall = (System.nanoTime() - startNanos) / 1e9;
            if (startBusy < 0 || busy < 0 || startOwn < 0 || own < 0) return unknown(wall);
            double others = ((busy - startBusy) - (own - startOwn)) * TICK_SECONDS;
            return new Load(wall, Math.max(0, others), Machine.cores(), HOST_CPUS);
        }
    }

    /** CPUs the aggregate "cpu" line of /proc/stat sums over (its "cpuN" lines), read once. */
    private static final int HOST_CPUS = countHostCpus();

    private static int countHostCpus() {
        try (Stream<String> lines = Files.lines(STAT, StandardCharsets.US_ASCII)) {
            return (int) Math.max(1, lines.filter(l -> l.matches("cpu\\d+\\s.*")).count());
        } catch (IOException | RuntimeException e) {
            return Machine.cores();
        }
    }

    /** CPU ticks every core spent busy since boot (user, nice, system, irq, softirq, steal); -1 without /proc. */
    static long busyTicks() {
        try (Stream<String> lines = Files.lines(STAT, StandardCharsets.US_ASCII)) {
            String cpu = lines.findFirst().orElse("");
            return parseBusy(cpu);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseBusy(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 8 || !f[0].equals("cpu")) return -1;
        // user nice system idle iowait irq softirq steal: idle and iowait are not work.
        long sum = 0;
        for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
            if (i < f.length) sum += Long.parseLong(f[i]);
        }
        return sum;
    }

    /**
     * CPU ticks of this kernel and every live descendant, each with the time of the children it
     * has already reaped (Linux adds a reaped child's times, its own children's included, to the
     * parent's cutime/cstime), so a child JVM that ended during the watch is still counted.
     */
    static long ownTreeTicks() {
        ProcessHandle self = ProcessHandle.current();
        // A child that ends during the scan is either read by the scan or, once reaped, in our
        // cutime -- or in neither, if it was reaped between the two reads: then the reaped total
        // changed, and the scan is taken again. (A child JVM ends just as its result arrives.)
        for (int attempt = 0; ; attempt++) {
            long reapedBefore = reapedTicks(self.pid());
            long[] sum = {0};
            self.descendants().forEach(p -> sum[0] += Math.max(0, processTicks(p.pid())));
            long own = processTicks(self.pid());
            long reapedAfter = reapedTicks(self.pid());
            if (own < 0 || reapedBefore < 0) return -1;
            if (reapedBefore == reapedAfter || attempt == 4) return own + sum[0];
        }
    }

    /** cutime + cstime: the CPU of children this process has reaped; -1 if it cannot be read. */
    static long reapedTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime + cutime + cstime of one process; -1 if it cannot be read. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return parseProcessTicks(stat);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseProcessTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // After the name, f[0] is field 3 (state); utime..cstime are fields 14..17.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
