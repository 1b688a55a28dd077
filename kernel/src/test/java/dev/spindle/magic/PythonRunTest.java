package dev.spindle.magic;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class PythonRunTest {
    private static PythonRun run(String output) {
        return new PythonRun("t", 0, Duration.ofMillis(10), Duration.ofMillis(5), output);
    }

    @Test
    void numberReadsTheLastLineNamingIt() {
        PythonRun r = run("threads: 0.5 s\nprocesses = 1,234.5\nthreads: 0.75\nsmall: 3e-05\n");
        assertEquals(0.75, r.number("threads"));
        assertEquals(1234.5, r.number("processes"));
        assertEquals(3e-05, r.number("small"));
    }

    @Test
    void aMissingNameIsAClearError() {
        PythonRun r = run("threadsafe: 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.number("threads"));
        assertTrue(e.getMessage().contains("'threads: NUMBER'"), e.getMessage());
    }

    @Test
    void lastByLabelNamesTheLabelsThereAre() {
        PythonRun.record(new PythonRun("seen", 0, Duration.ZERO, Duration.ZERO, "x: 1"));
        assertEquals(1.0, PythonRun.last("seen").number("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonRun.last("unseen"));
        assertTrue(e.getMessage().contains("seen"), e.getMessage());
    }
}
