package dev.spindle.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Cells whose statements the engine joins into one snippet, run on a real JShell. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupedCellsTest extends EngineTestBase {
    @Test
    void statementsThatDoNotCompileAsABlockRunOneByOne() {
        // `throw` in the middle makes the block unreachable code for javac; on their own the
        // statements before it run, and the exception is what the cell reports.
        run("int[] ran = new int[1];");
        Outcome o = run("ran[0]++;\nran[0]++;\nthrow new IllegalStateException(\"stop\");\nran[0]++;\nran[0]++;");
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, o);
        assertEquals("java.lang.IllegalStateException", f.ename());
        assertEquals("2", value("ran[0]"));
    }

    @Test
    void declarationsAroundAGroupStayTopLevelAndRedefinable() {
        assertEquals("6", value("int base = 1;\nbase += 1;\nbase *= 3;\nint twice(int v) { return 2 * v; }\nbase"));
        assertEquals("12", value("twice(base)"));
        run("int twice(int v) { return 3 * v; }");
        assertEquals("18", value("twice(base)"));
    }

    @Test
    void compileTimeIsCountedAndRunTimeIsNot() {
        long wall0 = engine.compileWallNanos(), cpu0 = engine.compileCpuNanos();
        long t0 = System.nanoTime();
        assertInstanceOf(Outcome.Value.class, run("Thread.sleep(200);\nThread.sleep(100);\nint slept = 300;"));
        long elapsed = System.nanoTime() - t0;
        long compiled = engine.compileWallNanos() - wall0;
        assertTrue(compiled > 0, "compiling three snippets took no time?");
        // the 300 ms of sleeping ran as cell code, so they cannot be part of the compile time
        assertTrue(compiled <= elapsed - 300_000_000L, "compile " + compiled + " ns of " + elapsed + " ns");
        assertTrue(engine.compileCpuNanos() >= cpu0);
    }

    @Test
    void aMeasurementAcrossStatementsLeavesCompilingOut() {
        // Measurement reads the engine's compile clock through timing.CompileTime
        dev.spindle.timing.CompileTime.use(engine::compileWallNanos, engine::compileCpuNanos);
        try {
            String report = value("var m = Measurement.start();\nThread.sleep(20);\nThread.sleep(20);\nint x = 1;\nm.stop()");
            assertTrue(report.contains("Compile time: "), report);
        } finally {
            dev.spindle.timing.CompileTime.use(() -> 0, () -> 0);
        }
    }
}
