package dev.spindle.timing;

import dev.spindle.chart.Chart;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkTest {
    @Test
    void eachVariantRunsWarmupPlusRepetitionsTimes() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        AtomicInteger c = new AtomicInteger();
        BenchmarkResult r = Benchmark.of("counting").warmup(2).repetitions(3)
                .variant("runnable", () -> {
                    a.incrementAndGet();
                })
                .variant("callable", () -> b.incrementAndGet())
                .variant("int", n -> c.addAndGet(n))
                .run();
        assertEquals(5, a.get());
        assertEquals(5, b.get());
        assertEquals(5, c.get(), "without a sweep a parametric variant gets 1");
        assertEquals(List.of("runnable", "callable", "int"), r.variants());
        for (String v : r.variants()) assertEquals(3, r.samples(v).size());
        assertFalse(r.isSweep());
        assertEquals("runnable", r.baseline());
    }

    @Test
    void loopsMultiplyCallsAndDivideSamples() {
        AtomicInteger a = new AtomicInteger();
        BenchmarkResult r = Benchmark.of("loops").warmup(1).repetitions(2).loops(4)
                .variant("v", () -> {
                    a.incrementAndGet();
                    TimeitTest.spin(100_000);
                })
                .run();
        assertEquals(12, a.get());
        for (double s : r.samples("v")) assertTrue(s >= 100e-6 && s < 0.05, "per-call seconds " + s);
    }

    @Test
    void sweepMeasuresParametricVariantsPerValueAndOthersOnce() {
        Map<Integer, Integer> calls = Collections.synchronizedMap(new LinkedHashMap<>());
        AtomicInteger plain = new AtomicInteger();
        BenchmarkResult r = Benchmark.of("sweep").sweep("workers", 1, 2, 4).warmup(1).repetitions(2)
                .variant("sequential", () -> {
                    plain.incrementAndGet();
                })
                .variant("threads", n -> calls.merge(n, 1, Integer::sum))
                .run();
        assertEquals(Map.of(1, 3, 2, 3, 4, 3), calls);
        assertEquals(3, plain.get());
        assertTrue(r.isSweep());
        assertEquals("workers", r.parameterName());
        assertEquals(List.of(1, 2, 4), r.parameters());
        assertEquals(2, r.samples("threads", 4).size());
        assertEquals(2, r.stats("threads", 2).n());
        assertEquals(r.samples("sequential"), r.samples("sequential", 4), "flat across the sweep");
        assertThrows(IllegalArgumentException.class, () -> r.samples("threads"));
        assertThrows(IllegalArgumentException.class, () -> r.samples("threads", 3));
        assertEquals("sequential", r.baseline());
        assertEquals(Chart.Kind.LINE, r.chart().kind());
        assertEquals(Chart.Kind.SPEEDUP, r.speedupChart().kind());
        assertTrue(r.barChart().grouped());
        assertTrue(JsonParser.parseString(r.figure().toVegaLite()).getAsJsonObject().has("hconcat"));
    }

    /** A result from fixed samples, so statistics and speed-ups are exact. */
    static BenchmarkResult fixed() {
        List<BenchmarkResult.VariantData> vs = new ArrayList<>();
        vs.add(variant("sequential", false, Map.of(BenchmarkResult.ANY, new double[] {1.0, 1.1, 0.9, 1.0, 1.2})));
        vs.add(variant("threads", true, Map.of(
                1, new double[] {1.0, 1.0, 1.0},
                2, new double[] {0.5, 0.6, 0.4},
                4, new double[] {0.25, 0.3, 0.2})));
        return new BenchmarkResult("fixed", "workers", new int[] {1, 2, 4}, vs, 1, 3, 1, Spread.MIN_MAX, "sequential");
    }

    static BenchmarkResult.VariantData variant(String label, boolean parametric, Map<Integer, double[]> wall) {
        Map<Integer, double[][]> m = new LinkedHashMap<>();
        wall.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            double[] cpu = e.getValue().clone();
            for (int i = 0; i < cpu.length; i++) cpu[i] *= parametric ? Math.max(1, e.getKey()) : 1;
            m.put(e.getKey(), new double[][] {e.getValue(), cpu});
        });
        return new BenchmarkResult.VariantData(label, parametric, false, m);
    }

    @Test
    void statisticsPerParameter() {
        BenchmarkResult r = fixed();
        Stats s = r.stats("sequential");
        assertEquals(1.0, s.median(), 1e-12);
        assertEquals(0.9, s.min(), 1e-12);
        assertEquals(1.2, s.max(), 1e-12);
        assertEquals(1.0, s.p25(), 1e-12);
        assertEquals(1.1, s.p75(), 1e-12);
        assertEquals(0.5, r.median("threads", 2), 1e-12);
        assertEquals(0.25, r.median("threads", 4), 1e-12);
        assertEquals(4.0, r.parallelism("threads", 4), 1e-12);
        assertEquals(1.0, r.parallelism("sequential"), 1e-12);
    }

    @Test
    void speedupAgainstABaseline() {
        BenchmarkResult r = fixed();
        Speedup s = r.speedup("sequential");
        assertEquals(1.0, s.get("threads", 1), 1e-12);
        assertEquals(2.0, s.get("threads", 2), 1e-12);
        assertEquals(4.0, s.get("threads", 4), 1e-12);
        assertEquals(1.0, s.get("sequential", 4), 1e-12);
        assertEquals(Map.of(1, 1.0, 2, 2.0, 4, 4.0), s.byParameter().get("threads"));
        Speedup self = fixed().withSpread(Spread.IQR).speedup("threads");
        assertEquals(1.0, self.get("threads", 4), 1e-12);
        assertEquals(0.25, self.get("sequential", 4), 1e-12);
        assertTrue(s.toString().contains("4.00x"), s.toString());
        Chart c = s.chart();
        assertEquals(Chart.Kind.SPEEDUP, c.kind());
        assertTrue(c.toText().contains("threads"));

        BenchmarkResult plain = new BenchmarkResult("plain", null, new int[0], List.of(
                variant("sequential", false, Map.of(BenchmarkResult.ANY, new double[] {2.0, 2.0, 2.0})),
                variant("threads", false, Map.of(BenchmarkResult.ANY, new double[] {0.5, 0.6, 0.5}))),
                0, 3, 1, Spread.MIN_MAX, "sequential");
        assertEquals(4.0, plain.speedup("sequential").get("threads"), 1e-12);
        assertEquals(Map.of("sequential", 1.0, "threads", 4.0), plain.speedup().asMap());
        assertEquals(Chart.Kind.BAR, plain.speedupChart("sequential").kind());
        assertThrows(IllegalArgumentException.class, () -> plain.speedup("nope"));
    }

    @Test
    void selfRelativeSpeedupWhenTheFirstVariantIsParametric() {
        BenchmarkResult r = Benchmark.of("self").sweep("workers", 1, 2).warmup(0).repetitions(1)
                .variant("threads", n -> TimeitTest.spin(2_000_000 / n))
                .run();
        assertEquals(null, r.baseline());
        Speedup s = r.speedup();
        assertEquals(null, s.baseline());
        assertEquals(1.0, s.get("threads", 1), 1e-12);
        // Median at workers=1 over median at workers=2, whatever this machine's load made them.
        double expected = r.stats("threads", 1).median() / r.stats("threads", 2).median();
        assertEquals(expected, s.get("threads", 2), 1e-9, "self-relative speed-up: " + s);
        assertTrue(r.table().contains("speed-up vs workers=1"), r.table());
    }

    @Test
    void externalMeasurementsJoinAsVariants() {
        BenchmarkResult r = fixed().withExternal("CPython threads", List.of(2.0, 2.2, 1.8));
        assertEquals(List.of("sequential", "threads", "CPython threads"), r.variants());
        assertEquals(0.5, r.speedup("sequential").get("CPython threads", 4), 1e-12);
        assertTrue(Double.isNaN(r.parallelism("CPython threads")));
        assertTrue(r.table().contains("CPython threads (external)"), r.table());
        BenchmarkResult swept = fixed().withExternal("CPython processes", Map.of(1, List.of(1.0), 4, List.of(0.5)));
        assertEquals(0.5, swept.median("CPython processes", 4), 1e-12);
        assertEquals(2.0, swept.speedup("sequential").get("CPython processes", 4), 1e-12);
        assertTrue(Double.isNaN(swept.speedup("sequential").get("CPython processes", 2)));
        assertEquals(2, swept.lineChart().series().get(2).points().size(), "missing sweep values are left out");
        assertThrows(IllegalArgumentException.class, () -> fixed().withExternal("threads", List.of(1.0)));
        assertThrows(IllegalArgumentException.class, () -> fixed().withExternal("x", Map.of(3, List.of(1.0))));
        assertEquals(3, fixed().variants().size() + 1, "the original is unchanged");
    }

    @Test
    void tableAndChartsCarryLabelsAndNumbers() {
        BenchmarkResult r = fixed();
        String t = r.table();
        for (String s : List.of("fixed", "variant", "workers", "median", "p25", "p75", "min", "max", "CPU/wall",
                "sequential", "threads", "1.000", "0.250", "times in s", "4.00x")) {
            assertTrue(t.contains(s), s + " in\n" + t);
        }
        assertEquals(t, r.toString());
        Chart bars = r.barChart();
        assertEquals("time (s)", bars.yLabel());
        assertEquals("workers", bars.xLabel());
        Chart line = r.lineChart();
        assertEquals("time (s)", line.yLabel());
        assertEquals(2, line.series().size());
        assertEquals(1.0, line.series().get(0).points().get(0).y(), 1e-9);
        Chart ms = new BenchmarkResult("ms", null, new int[0], List.of(variant("v", false,
                Map.of(BenchmarkResult.ANY, new double[] {0.012, 0.013}))), 0, 2, 1, Spread.MIN_MAX, "v").barChart();
        assertEquals("time (ms)", ms.yLabel());
        assertEquals(12.5, ms.series().get(0).points().get(0).y(), 1e-9);
        Chart iqr = r.withSpread(Spread.IQR).lineChart();
        assertTrue(iqr.subtitle().contains("p25–p75"));
        assertEquals(List.of("application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"),
                List.copyOf(r.toMimeBundle().data().keySet()));
        assertTrue(r.toMimeBundle().data().get("image/svg+xml").length() <= 80 * 1024, "two charts side by side");
    }

    @Test
    void failuresPropagateAndBadSetupIsRejected() {
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Benchmark.of("x").warmup(0)
                .variant("fails", () -> {
                    throw boom;
                }).run());
        assertSame(boom, thrown);
        assertThrows(IllegalStateException.class, () -> Benchmark.of("x").run());
        assertThrows(IllegalArgumentException.class, () -> Benchmark.of("x").variant("a", () -> { }).variant("a", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> Benchmark.of("x").sweep("w", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Benchmark.of("x").variant("a", () -> { }).baseline("b").run());
        assertThrows(IllegalStateException.class, () -> Benchmark.of("x").variant("a", () -> { })
                .display(false).repetitions(1).run().lineChart());
    }
}
