package dev.spindle.chart;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Chart rendering numbers for the README: the first chart in a fresh JVM (class loading of the
 * chart library and AWT fonts included), the median of later charts, and SVG sizes. Not a test;
 * run it against the shaded jar, in a JVM of its own:
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; mvn -B -q test-compile -pl kernel
 * java -cp kernel/target/spindle-kernel.jar:kernel/target/test-classes dev.spindle.timing.ChartBench
 * </pre>
 */
public final class ChartBench {
    private ChartBench() {
    }

    /** Prints the numbers; {@code args[0]} is how many later charts to time (default 50). */
    public static void main(String[] args) {
        int later = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long t0 = System.nanoTime();
        Chart first = ChartTest.fourVariantBar();
        int firstBytes = first.toMimeBundle().data().get("image/svg+xml").getBytes(StandardCharsets.UTF_8).length;
        double firstMs = (System.nanoTime() - t0) / 1e6;

        double[] ms = new double[later];
        for (int i = 0; i < later; i++) {
            long t = System.nanoTime();
            // a new chart each time (charts cache their renderings), alternating kinds
            Chart c = i % 2 == 0 ? ChartTest.fourVariantBar() : ChartTest.sweep();
            c.toMimeBundle();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "java %s%n", System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "first chart (Vega-Lite + SVG + text, fresh JVM): %.0f ms%n", firstMs);
        System.out.printf(Locale.ROOT, "later charts: median %.1f ms, max %.1f ms (%d charts)%n",
                ms[ms.length / 2], ms[ms.length - 1], later);
        System.out.printf(Locale.ROOT, "SVG bytes: bar 4 variants %d, sweep 3x4 with whiskers %d, speed-up 3x4 %d, "
                        + "sweep + speed-up side by side %d%n", firstBytes, bytes(ChartTest.sweep().toSvg()),
                bytes(ChartTest.speedup().toSvg()), bytes(Figure.row(ChartTest.sweep(), ChartTest.speedup()).toSvg()));
        System.out.printf(Locale.ROOT, "Vega-Lite bytes: bar %d, sweep %d%n", bytes(ChartTest.fourVariantBar().toVegaLite()),
                bytes(ChartTest.sweep().toVegaLite()));
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
