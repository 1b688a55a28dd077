package dev.spindle.protocol;

import com.google.gson.JsonArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistoryTest {
    private final History h = new History();

    HistoryTest() {
        h.add(1, "int foo = 1;", null);
        h.add(2, "foo + 1", "2");
        h.add(3, "String bar = \"x\";", null);
        h.add(4, "foo * 3", "3");
    }

    @Test
    void tailReturnsNewestInOrder() {
        JsonArray t = h.tail(2, false);
        assertEquals(2, t.size());
        assertEquals(3, t.get(0).getAsJsonArray().get(1).getAsInt());
        assertEquals("foo * 3", t.get(1).getAsJsonArray().get(2).getAsString());
    }

    @Test
    void rangeIsHalfOpenAndNegativeStopCountsFromEnd() {
        assertEquals(2, h.range(1, 2, 4, false).size());
        assertEquals(3, h.range(1, 1, -1, false).size());
    }

    @Test
    void searchUsesGlobsAndCanReturnOutput() {
        JsonArray s = h.search("*foo*", 0, false, true);
        assertEquals(3, s.size());
        assertEquals("2", s.get(1).getAsJsonArray().get(2).getAsJsonArray().get(1).getAsString());
        assertEquals(1, h.search("*foo*", 1, false, false).size());
    }
}
