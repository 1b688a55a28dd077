package dev.spindle.timing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClockTest {
    /**
     * Process CPU time must include every thread, not just the caller's. Compared with the
     * threads' own CPU clocks, so the check holds however loaded the machine is.
     */
    @Test
    void processCpuCountsEveryThread() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] otherCpu = new long[1];
        Measurement m = Measurement.start();
        long mine0 = threads.getCurrentThreadCpuTime();
        Thread other = new Thread(() -> {
            TimeitTest.spin(200_000_000L);
            otherCpu[0] = threads.getCurrentThreadCpuTime();
        });
        other.start();
        TimeitTest.spin(200_000_000L);
        long mine = threads.getCurrentThreadCpuTime() - mine0;
        other.join();
        TimeReport r = m.stop();
        long tick = 20_000_000L; // Linux accounts process CPU in 10 ms steps
        assertTrue(r.processCpu().toNanos() + tick >= mine + otherCpu[0],
                r + " but the two threads alone used " + (mine + otherCpu[0]) / 1_000_000 + " ms");
        assertTrue(r.wallSeconds() > 0, r.toString());
    }

    @Test
    void processCpuIsMeasured() {
        TimeReport r = Clock.time(() -> TimeitTest.spin(100_000_000L));
        assertTrue(r.hasProcessCpu());
        assertTrue(r.processCpu().toNanos() > 0, r.toString());
    }

    @Test
    void childCpuComesFromRegisteredSources() {
        AtomicLong child = new AtomicLong(5_000_000_000L);
        try (ChildCpuSource.Registration reg = ChildCpuSource.register(child::get);
             ChildCpuSource.Registration broken = ChildCpuSource.register(() -> {
                 throw new IllegalStateException("child runtime gone");
             })) {
            Measurement m = Measurement.start();
            child.addAndGet(1_500_000_000L);
            TimeReport r = m.stop();
            assertEquals(Duration.ofMillis(1500), r.childCpu());
            assertTrue(r.totalCpu().compareTo(Duration.ofMillis(1500)) >= 0);
        }
        assertEquals(0, ChildCpuSource.totalNanos());
        Measurement m = Measurement.start();
        assertEquals(Duration.ZERO, m.stop().childCpu());
    }

    @Test
    void reportReadsLikeTime() {
        TimeReport r = TimeReport.ofNanos(1_010_000_000L, 1_920_000_000L, 0);
        assertEquals("CPU times: process 1.92 s, children 0 ns, total 1.92 s; Wall time: 1.01 s; parallelism 1.90x",
                r.toString());
        assertEquals(1.90, r.parallelism(), 0.01);
        TimeReport unknown = TimeReport.ofNanos(1_000_000L, -1, 0);
        assertTrue(Double.isNaN(unknown.parallelism()));
        assertTrue(unknown.toString().contains("process n/a"), unknown.toString());
    }

    @Test
    void exactThreadClockIsUsedOnlyWhenNoCpuWentMissing() {
        // agree within a tick: the exact reading
        assertEquals(12_345_678L, Measurement.cpuDelta(0, 10_000_000L, 1_000_000L, 13_345_678L));
        // a thread ended with its CPU time: the complete (coarse) reading
        assertEquals(40_000_000L, Measurement.cpuDelta(0, 40_000_000L, 0, 20_000_000L));
        assertEquals(-1, Measurement.cpuDelta(-1, -1, 0, 5));
        assertEquals(30_000_000L, Measurement.cpuDelta(10_000_000L, 40_000_000L, -1, -1));
    }
}
