package dev.spindle.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JShellEngineTest extends EngineTestBase {
    @Test
    void lastExpressionIsTheValueAndKeepsItsObject() {
        Outcome.Value v = assertInstanceOf(Outcome.Value.class, run("int a = 20;\nint b = 22;\na + b"));
        assertEquals("42", v.text());
        assertEquals(42, v.value());
        Outcome.Value none = assertInstanceOf(Outcome.Value.class, run("int c = 1;"));
        assertFalse(none.present());
    }

    @Test
    void printfIsAStatementNotAValue() {
        Outcome.Value printed = assertInstanceOf(Outcome.Value.class, run("System.out.printf(\"%d%n\", 42)"));
        assertFalse(printed.present(), "the PrintStream that printf returns is not shown");
        Outcome.Value named = assertInstanceOf(Outcome.Value.class, run("var out = System.out;\nout"));
        assertTrue(named.present(), "a stream asked for by name is still shown");
    }

    @Test
    void aSemicolonAfterTheLastExpressionHidesItsValue() {
        assertTrue(((Outcome.Value) run("var xs = new ArrayList<String>();\nxs.add(\"a\")")).present());
        assertFalse(((Outcome.Value) run("xs.add(\"b\");")).present());
        assertFalse(((Outcome.Value) run("xs;")).present());
        Outcome.Value shown = assertInstanceOf(Outcome.Value.class, run("xs.add(\"c\");\nxs.size() // three"));
        assertEquals("3", shown.text());
        assertEquals("4", ((Outcome.Value) run("xs.add(\"d\");   xs.size()")).text());
    }

    @Test
    void defaultImportsAreThere() {
        Outcome.Value v = assertInstanceOf(Outcome.Value.class,
                run("new ConcurrentHashMap<String, Integer>().getClass().getSimpleName()"));
        assertEquals("\"ConcurrentHashMap\"", v.text());
    }

    @Test
    void compileErrorPointsAtTheCellLine() {
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, run("int ok = 1;\n\nint bad = \"s\";"));
        assertEquals("CompilationError", f.ename());
        String tb = String.join("\n", f.traceback());
        assertTrue(tb.contains("line 3"), tb);
        assertTrue(tb.contains("int bad = \"s\";"), tb);
        assertTrue(tb.contains("^"), tb);
    }

    @Test
    void exceptionsShowCellFramesOnly() {
        run("int div(int x) {\n  return 10 / x;\n}");
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, run("int y = 0;\ndiv(y)"));
        assertEquals("java.lang.ArithmeticException", f.ename());
        String tb = String.join("\n", f.traceback());
        assertTrue(tb.contains("div"), tb);
        assertTrue(tb.contains("line 2"), tb);
        assertFalse(tb.contains("jdk.jshell"), tb);
        assertFalse(tb.contains("java.lang.reflect"), tb);
        assertFalse(tb.contains("dev.spindle"), tb);
    }

    @Test
    void exitIsBlocked() {
        for (String call : List.of("System.exit(3)", "Runtime.getRuntime().exit(1)", "Runtime.getRuntime().halt(2)")) {
            Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, run(call));
            assertEquals("java.lang.SecurityException", f.ename(), call);
            assertTrue(f.evalue().contains("blocked"), f.evalue());
        }
        assertInstanceOf(Outcome.Value.class, run("1"));
    }

    @Test
    void errorsOfEveryKindBecomeFailures() {
        Outcome.Failure so = assertInstanceOf(Outcome.Failure.class, run("int deep(int n) { return deep(n + 1) + 1; }\ndeep(0)"));
        assertEquals("java.lang.StackOverflowError", so.ename());
        Outcome.Failure err = assertInstanceOf(Outcome.Failure.class, run("throw new AssertionError(\"custom\")"));
        assertEquals("java.lang.AssertionError", err.ename());
        assertEquals("2", ((Outcome.Value) run("1 + 1")).text());
    }

    @Test
    void interruptStopsBusyLoopsAndTheThreadsOfTheCell() throws Exception {
        CompletableFuture<Outcome> cell = CompletableFuture.supplyAsync(() ->
                run("Thread spin = new Thread(() -> { while (true) { } }, \"spinner\");\nspin.start();\nwhile (true) { }"));
        // Interrupt repeatedly until the cell has started and reacted; bounded by the timeout.
        while (!cell.isDone()) {
            engine.interrupt();
            try {
                cell.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not started yet
            }
        }
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, cell.get());
        assertEquals("Interrupted", f.ename());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("spinner"))) {
            assertTrue(System.nanoTime() < deadline, "the cell's spinning thread survived the interrupt");
            Thread.onSpinWait();
        }
    }

    @Test
    void isCompleteAndCompletion() {
        assertEquals("complete", engine.isComplete("int x = 1;").status());
        assertEquals("incomplete", engine.isComplete("for (int i = 0; i < 3; i++) {").status());
        Engine.Completion c = engine.complete("Syst", 4);
        assertTrue(c.matches().contains("System"), c.matches().toString());
        assertEquals(0, c.start());
        Engine.Completion m = engine.complete("int q = 1;\n\"abc\".len", 19);
        assertTrue(m.matches().stream().anyMatch(s -> s.startsWith("length(")), m.matches().toString());
        assertEquals(17, m.start());
    }

    @Test
    void inspectFindsSignatures() {
        var doc = engine.inspect("String.valueOf", 10);
        assertTrue(doc.isPresent());
        assertTrue(doc.get().plainText().contains("valueOf"), doc.get().plainText());
    }
}
