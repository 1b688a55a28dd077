package dev.spindle.engine;

import dev.spindle.output.CellContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** One real JShell engine per test class, started once, and cells run on it one by one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineTestBase {
    JShellEngine engine;
    private int count;

    @BeforeAll
    void start() {
        engine = new JShellEngine(new PrintStream(OutputStream.nullOutputStream()));
        engine.start();
        engine.awaitReady();
    }

    @AfterAll
    void stop() {
        engine.close();
    }

    /** Runs {@code code} as the next cell. */
    Outcome run(String code) {
        return engine.execute(code, new CellContext(++count, false, new CellContext.OutputBudget(1_000_000)));
    }

    /** Runs {@code code} and returns its value's text; fails the test if the cell failed. */
    String value(String code) {
        Outcome o = run(code);
        return assertInstanceOf(Outcome.Value.class, o, () -> code + " failed: " + o).text();
    }
}
