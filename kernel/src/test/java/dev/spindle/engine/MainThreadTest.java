package dev.spindle.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The notebook's main thread, through the engine: the pytest suite covers it through Jupyter. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainThreadTest extends EngineTestBase {
    /** Runs {@code code} on another thread and interrupts it until it ends. */
    private Outcome interrupted(String code) throws Exception {
        CompletableFuture<Outcome> cell = CompletableFuture.supplyAsync(() -> run(code));
        while (!cell.isDone()) {
            engine.interrupt();
            try {
                cell.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not started yet
            }
        }
        return cell.get();
    }

    @Test
    void statementsAndCellsShareOneThreadNamedMain() {
        assertEquals("true", value("var first = Thread.currentThread();\nvar second = Thread.currentThread();\nfirst == second"));
        assertEquals("true", value("Thread.currentThread() == first"));
        assertEquals("\"main\"", value("first.getName()"));
        assertEquals("false", value("first.isDaemon()"));
    }

    @Test
    void aLockTakenInOneCellIsReleasedInTheNext() {
        run("var lock = new ReentrantLock();\nlock.lock();");
        assertEquals("true", value("lock.isHeldByCurrentThread()"));
        assertEquals("false", value("lock.unlock();\nlock.isLocked()"));
    }

    @Test
    void anInterruptStopsTheStatementAndMainLivesOn() throws Exception {
        run("var before = Thread.currentThread();\nvar kept = new ThreadLocal<String>();\nkept.set(\"kept\");");
        for (String code : new String[]{"Thread.sleep(600_000);", "while (true) { }", "new LinkedBlockingQueue<String>().take();"}) {
            Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, interrupted(code), code);
            assertEquals("Interrupted", f.ename(), code);
            assertEquals("\"true kept false\"",
                    value("(Thread.currentThread() == before) + \" \" + kept.get() + \" \" + Thread.currentThread().isInterrupted()"),
                    code);
        }
    }

    @Test
    void aThreadTheCellStartedIsInterruptedWithIt() throws Exception {
        CompletableFuture<Outcome> cell = CompletableFuture.supplyAsync(() -> run(
                "var napper = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) { } }, \"napper\");\n"
                        + "napper.start();\nnapper.join();"));
        // The test runs in the kernel's JVM: it sees the cell's thread appear, then interrupts once.
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("napper"))) {
            assertFalse(cell.isDone(), () -> "the cell ended before its thread started: " + cell.join());
            Thread.onSpinWait();
        }
        engine.interrupt();
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, cell.get(20, TimeUnit.SECONDS));
        assertEquals("Interrupted", f.ename());
        assertEquals("false", value("napper.join(10_000);\nnapper.isAlive()"));
    }

    @Test
    void aDefaultHandlerSetByACellServesLaterCells() {
        run("var seen = new CopyOnWriteArrayList<String>();\n"
                + "Thread.setDefaultUncaughtExceptionHandler((t, e) -> seen.add(t.getName() + \": \" + e.getMessage()));");
        try {
            run("var thrower = new Thread(() -> { throw new IllegalStateException(\"boom\"); }, \"thrower\");\n"
                    + "thrower.start();\nthrower.join();");
            assertEquals("\"[thrower: boom]\"", value("seen.toString()"));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(null);
        }
    }
}
