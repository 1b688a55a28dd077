package dev.spindle.facts;

import dev.spindle.timing.Benchmark;
import dev.spindle.timing.BenchmarkResult;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ClaimTest {
    @Test
    void jsonCarriesIdVerdictAndValues() {
        Map<String, String> data = Claim.of("sleep-overlap", "Two sleeps <overlap>")
                .measured("wall time", 1.0123, "s")
                .measured("PIDs", "[1, 2]")
                .verdict(Verdict.CPYTHON_ONLY, "the GIL")
                .toMimeBundle().data();
        JsonObject json = JsonParser.parseString(data.get(Claim.MIME)).getAsJsonObject();
        assertEquals("sleep-overlap", json.get("id").getAsString());
        assertEquals("CPYTHON_ONLY", json.get("verdict").getAsString());
        assertEquals("the GIL", json.get("because").getAsString());
        assertEquals(1.0123, json.getAsJsonObject("values").get("wall time").getAsDouble(), 1e-9);
        assertEquals("[1, 2]", json.getAsJsonObject("values").get("PIDs").getAsString());
        assertTrue(data.get("text/html").contains("Two sleeps &lt;overlap&gt;"), data.get("text/html"));
        assertTrue(data.get("text/html").contains("holds only for CPython"));
        assertTrue(data.get("text/plain").contains("wall time: 1.012 s"), data.get("text/plain"));
    }

    @Test
    void holdsIfMapsToHoldsOrWrong() {
        assertEquals(Verdict.HOLDS, Claim.of("a", "x").holdsIf(true).verdict());
        assertEquals(Verdict.WRONG, Claim.of("a", "x").holdsIf(false).verdict());
        assertNull(Claim.of("a", "x").verdict());
        assertFalse(Claim.of("a", "x").toMimeBundle().data().get(Claim.MIME).contains("verdict"));
    }

    @Test
    void idsAreShortAndPlain() {
        assertThrows(IllegalArgumentException.class, () -> Claim.of("two words", "x"));
        assertThrows(NullPointerException.class, () -> Claim.of("ok", null));
    }

    @Test
    void benchmarkBodiesMayThrowCheckedExceptions() {
        Thread sleeper = new Thread(() -> { });
        sleeper.start();
        BenchmarkResult r = Benchmark.of("join").display(false).warmup(0).repetitions(1)
                .variant("join", () -> sleeper.join())
                .run();
        assertEquals(1, r.samples("join").size());
        Exception thrown = assertThrows(Exception.class, () -> Benchmark.of("io").display(false).warmup(0)
                .repetitions(1).variant("io", () -> {
                    throw new java.io.IOException("disk");
                }).run());
        assertInstanceOf(java.io.IOException.class, thrown, "reaches the cell unwrapped");
    }
}
