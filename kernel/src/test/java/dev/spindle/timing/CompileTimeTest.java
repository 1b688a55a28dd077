package dev.spindle.timing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** Measurement leaves compiling out of the times it reports, and gives it apart. */
class CompileTimeTest {
    @AfterEach
    void noSource() {
        CompileTime.use(() -> 0, () -> 0);
    }

    @Test
    void compilingBetweenStartAndStopIsLeftOutAndReported() throws Exception {
        AtomicLong compileWall = new AtomicLong(5_000_000_000L), compileCpu = new AtomicLong(1_000);
        CompileTime.use(compileWall::get, compileCpu::get);
        Measurement m = Measurement.start();
        long t0 = System.nanoTime();
        Thread.sleep(30);
        compileWall.addAndGet(10_000_000L); // as if a statement had compiled for 10 ms meanwhile
        long elapsed = System.nanoTime() - t0;
        TimeReport r = m.stop();
        assertEquals(Duration.ofMillis(10), r.compile());
        assertTrue(r.wall().toNanos() < elapsed, r + " is not less than the elapsed " + elapsed + " ns");
        assertTrue(r.wall().toNanos() >= 20_000_000L, r.toString());
        assertTrue(r.toString().endsWith("\nCompile time: " + TimeFormat.format(0.010)), r.toString());
    }

    @Test
    void withoutCompilingTheReportIsOneLine() {
        TimeReport r = Clock.time(() -> { });
        assertEquals(Duration.ZERO, r.compile());
        assertFalse(r.toString().contains("\n"), r.toString());
        assertEquals(TimeReport.ofNanos(1, 2, 3), new TimeReport(Duration.ofNanos(1), Duration.ofNanos(2), Duration.ofNanos(3)));
    }

    @Test
    void aBrokenSourceCountsAsNoCompiling() {
        CompileTime.use(() -> { throw new IllegalStateException("broken"); }, () -> 0);
        assertEquals(Duration.ZERO, Measurement.start().stop().compile());
    }
}
