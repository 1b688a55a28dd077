package dev.spindle.timing;

import dev.spindle.chart.Chart;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeitTest {
    /** Busy for at least {@code nanos}: a body with a known, bounded cost. */
    static void spin(long nanos) {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < nanos) {
            Thread.onSpinWait();
        }
    }

    @Test
    void automaticLoopCountMakesEachRunAtLeastTheMinimum() {
        TimeitResult r = Timeit.run(() -> spin(100_000), 0, 2);
        assertEquals(2, r.repeats());
        // The count is chosen while calibrating; on a loaded machine calibration runs slow and picks
        // fewer loops, so later runs may be shorter than the minimum. What always holds: each run
        // is that many calls of at least 100 µs each.
        for (double run : r.allRuns()) assertTrue(run >= r.loops() * 100e-6, "run took " + run + " for " + r.loops());
        // 2,000 calls of >= 100 µs always reach 0.2 s, so the count never goes past it
        assertTrue(List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L, 2000L).contains(r.loops()),
                "loops " + r.loops());
        assertTrue(r.mean() >= 100e-6, "per-call time " + r.mean());
    }

    @Test
    void loopCountGrowsOneTwoFive() {
        AtomicLong calls = new AtomicLong();
        // a target of 0 s stops at the first count; a huge one is capped, so use a counted body
        assertEquals(1, Timeit.autoLoops(calls::incrementAndGet, 0));
        assertEquals(1, calls.get());
        calls.set(0);
        // each call "costs" nothing, but a target reached after 1+2+5+10 calls by a spin at call 18
        long n = Timeit.autoLoops(() -> {
            if (calls.incrementAndGet() == 18) spin(3_000_000);
        }, 0.002);
        assertEquals(10, n);
        assertEquals(18, calls.get());
    }

    @Test
    void explicitLoopsAndRepeatsAreRespected() {
        AtomicLong calls = new AtomicLong();
        TimeitResult r = Timeit.run(calls::incrementAndGet, 7, 3);
        assertEquals(21, calls.get());
        assertEquals(7, r.loops());
        assertEquals(3, r.repeats());
        assertEquals(3, r.timings().size());
        TimeitResult p = Timeit.run(calls::incrementAndGet, Timeit.parse("-n 4 -r 2").options());
        assertEquals(21 + 8, calls.get());
        assertEquals(2, p.repeats());
    }

    @Test
    void statisticsOnAFixedSample() {
        TimeitResult r = TimeitResult.of(List.of(1.0, 2.0, 3.0, 4.0), 10);
        assertEquals(List.of(0.1, 0.2, 0.3, 0.4), r.timings());
        assertEquals(0.25, r.mean(), 1e-12);
        assertEquals(Math.sqrt(0.0125), r.stdev(), 1e-12); // population std. dev., as IPython
        assertEquals(0.25, r.median(), 1e-12);
        assertEquals(0.1, r.min(), 1e-12);
        assertEquals(0.1, r.best(), 1e-12);
        assertEquals(0.4, r.max(), 1e-12);
        assertEquals(0.4, r.worst(), 1e-12);
        assertEquals(0.175, r.stats().p25(), 1e-12);
        assertEquals(0.325, r.stats().p75(), 1e-12);
        assertEquals("", r.warning()); // slowest exactly 4x the fastest: IPython warns only above
        assertTrue(TimeitResult.of(List.of(1.0, 5.0), 1).warning().startsWith("The slowest run took 5.00 times"));
    }

    @Test
    void summaryReadsLikeIPython() {
        TimeitResult r = TimeitResult.of(List.of(0.123, 0.127, 0.119, 0.131, 0.121, 0.125, 0.124), 10_000);
        assertEquals("12.4 µs ± 365 ns per loop (mean ± std. dev. of 7 runs, 10,000 loops each)", r.toString());
        assertEquals("1 s ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)",
                TimeitResult.of(List.of(1.0), 1).toString());
        assertEquals(r.toString(), r.report());
        assertEquals(Chart.Kind.BAR, r.chart().kind());
        assertEquals(7, r.chart().series().get(0).points().size());
        assertTrue(r.toMimeBundle().data().containsKey("image/svg+xml"));
    }

    @Test
    void timeFormat() {
        assertEquals("12.3 µs", TimeFormat.format(0.0000123));
        assertEquals("1.5 s", TimeFormat.format(1.5));
        assertEquals("1.92 s", TimeFormat.format(1.9234));
        assertEquals("250 ms", TimeFormat.format(0.25));
        assertEquals("100 ns", TimeFormat.format(1e-7));
        assertEquals("0.5 ns", TimeFormat.format(5e-10));
        assertEquals("0 ns", TimeFormat.format(0));
        assertEquals("1230 s", TimeFormat.format(1234.5));
        assertEquals("ms", TimeFormat.unitFor(0.0123).symbol());
    }

    @Test
    void parserSplitsOptionsFromCode() {
        TimeitArgs a = Timeit.parse("-n 100 -r 5 Math.sqrt(x)");
        assertEquals(100, a.options().loops());
        assertEquals(5, a.options().repeats());
        assertEquals("Math.sqrt(x)", a.code());

        TimeitArgs b = Timeit.parse("-n100 -r3 -qo list.sort(null);\nlist.add(-1)");
        assertEquals(100, b.options().loops());
        assertEquals(3, b.options().repeats());
        assertTrue(b.options().quiet());
        assertTrue(b.options().returnResult());
        assertEquals("list.sort(null);\nlist.add(-1)", b.code());

        TimeitArgs c = Timeit.parse("foo(-n)");
        assertEquals(TimeitOptions.defaults(), c.options());
        assertEquals("foo(-n)", c.code());

        TimeitArgs d = Timeit.parse("-p 5 -- -x + 1");
        assertEquals(5, d.options().precision());
        assertEquals("-x + 1", d.code());

        TimeitArgs e = Timeit.parse("  -r 2  ");
        assertEquals(2, e.options().repeats());
        assertEquals("", e.code());
        assertEquals("", Timeit.parse("").code());
        assertEquals("", Timeit.parse(null).code());
        assertEquals(7, Timeit.parse("-t -c x").options().repeats());
    }

    @Test
    void parserRejectsBadOptions() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-z foo()")).getMessage()
                .contains("unknown option -z"));
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-n"));
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-n ten foo()"));
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-r 0 foo()"));
    }

    @Test
    void statsPercentilesInterpolateLikeNumpy() {
        Stats s = Stats.of(5, 1, 4, 2, 3);
        assertEquals(2, s.p25(), 1e-12);
        assertEquals(3, s.median(), 1e-12);
        assertEquals(4, s.p75(), 1e-12);
        Stats t = Stats.of(1, 2, 3, 4);
        assertEquals(1.75, t.p25(), 1e-12);
        assertEquals(2.5, t.median(), 1e-12);
        assertEquals(3.25, t.p75(), 1e-12);
        assertEquals(1.5, t.iqr(), 1e-12);
        assertTrue(Double.isNaN(Stats.of().median()));
    }
}
