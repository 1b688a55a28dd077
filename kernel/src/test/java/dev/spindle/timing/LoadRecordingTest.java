package dev.spindle.timing;

import dev.spindle.facts.Load;
import dev.spindle.magic.PythonRun;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every timing result a notebook builds a claim on says how busy the machine was meanwhile. */
class LoadRecordingTest {
    private static void assumeProc() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc on this system");
    }

    @Test
    void aMeasurementWatchesTheLoadOverItsOwnInterval() {
        assumeProc();
        Measurement m = Measurement.start();
        TimeitTest.spin(2_000_000);
        TimeReport r = m.stop();
        assertTrue(r.load().known(), r.load().toString());
        // The watch encloses the timed interval: it starts before and stops after the clocks.
        assertTrue(r.load().wallSeconds() >= r.wallSeconds(), r.load() + " vs " + r);
        assertTrue(r.load().freeCores() <= r.load().cores());
    }

    @Test
    void aReportBuiltFromNumbersHasAnUnknownLoad() {
        TimeReport r = TimeReport.ofNanos(1_000_000, 500_000, 0);
        assertFalse(r.load().known());
        Load l = new Load(1.0, 0.5, 2);
        assertEquals(l, r.withLoad(l).load());
        assertEquals(r.wall(), r.withLoad(l).wall());
    }

    @Test
    void aBenchmarkKeepsEachVariantsLoadAndOffersTheBusiest() {
        assumeProc();
        BenchmarkResult r = Benchmark.of("loads").warmup(0).repetitions(2).display(false)
                .variant("a", () -> TimeitTest.spin(200_000))
                .variant("b", () -> TimeitTest.spin(200_000))
                .run();
        Load a = r.load("a"), b = r.load("b");
        assertTrue(a.known() && b.known(), a + " / " + b);
        assertEquals(Math.min(a.freeCores(), b.freeCores()), r.load().freeCores(), 1e-12);
        assertEquals(r.load(), r.speedup().load(), "a speed-up rests on the same measurements");
        assertEquals(r.load(), r.speedup("b").load());
        BenchmarkResult more = r.withExternal("outside", List.of(0.1, 0.2));
        assertEquals(r.load(), more.load(), "an outside measurement brings no load of its own");
        assertFalse(more.load("outside").known());
        assertEquals(a, more.withSpread(Spread.IQR).load("a"));
    }

    @Test
    void aResultBuiltFromGivenSamplesHasAnUnknownLoad() {
        BenchmarkResult r = Benchmark.of("none").warmup(0).repetitions(1).display(false)
                .variant("v", () -> { })
                .run()
                .withExternal("x", List.of(1.0));
        assertFalse(r.load("x").known());
    }

    @Test
    void aPythonRunBuiltWithoutAWatchHasAnUnknownLoad() {
        PythonRun run = new PythonRun("t", 0, Duration.ofSeconds(1), Duration.ZERO, "");
        assertFalse(run.load().known());
        Load l = new Load(1.0, 0.1, 2);
        assertEquals(l, new PythonRun("t", 0, Duration.ofSeconds(1), Duration.ZERO, "", l).load());
    }
}
