package dev.spindle.magic;

import dev.spindle.engine.Engine;
import dev.spindle.engine.Outcome;
import dev.spindle.output.CellContext;
import dev.spindle.output.RecordingPublisher;
import dev.spindle.output.StreamRouter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The magic decorator in front of an engine that records what reaches it. */
class MagicEngineTest {
    private final List<String> ran = new ArrayList<>();
    private final Engine inner = new Engine() {
        @Override public Outcome execute(String code, CellContext cell) { ran.add(code); return new Outcome.Value(null, null); }
        @Override public Outcome evaluate(String e, CellContext cell) { return new Outcome.Value(e, e); }
        @Override public Completion complete(String code, int cursor) { return new Completion(List.of(), 0, 0); }
        @Override public Optional<Inspection> inspect(String code, int cursor) { return Optional.empty(); }
        @Override public Completeness isComplete(String code) { return new Completeness("incomplete", "  "); }
        @Override public void addToClasspath(String path) { ran.add("classpath " + path); }
        @Override public void interrupt() { }
        @Override public void close() { }
    };
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final MagicEngine engine = new MagicEngine(inner,
            new StreamRouter(publisher, new PrintStream(new ByteArrayOutputStream())));
    private final CellContext cell = new CellContext(1, false, new CellContext.OutputBudget(10_000));

    @Test
    void magicCellsAreCompleteJavaIsAskedOfTheEngine() {
        assertEquals("complete", engine.isComplete("%%time\nfor (;;) {").status());
        assertEquals("complete", engine.isComplete("  %timeit for (").status());
        assertEquals("incomplete", engine.isComplete("for (;;) {").status());
        assertEquals("  ", engine.isComplete("int x = 10 % 3; {").indent());
    }

    @Test
    void plainJavaPassesThroughAndLineMagicsSplitTheCell() {
        engine.execute("int x = 1;", cell);
        engine.execute("int a = 1;\n%classpath /tmp/x.jar\nint b = 2;", cell);
        assertEquals(List.of("int x = 1;", "int a = 1;\n", "classpath /tmp/x.jar", "int b = 2;\n"), ran);
    }

    @Test
    void anUnknownMagicFailsWithoutReachingTheEngine() {
        Outcome o = engine.execute("%%nope\nint x;", cell);
        assertEquals("UnknownMagic", ((Outcome.Failure) o).ename());
        assertTrue(ran.isEmpty());
    }
}
