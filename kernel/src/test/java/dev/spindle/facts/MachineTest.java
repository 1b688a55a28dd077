package dev.spindle.facts;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MachineTest {
    @Test
    void describeNamesCoresJdkAndPython() {
        var data = Machine.describe().data();
        JsonObject json = JsonParser.parseString(data.get(Machine.MIME)).getAsJsonObject();
        assertEquals(Runtime.getRuntime().availableProcessors(), json.get("cores").getAsInt());
        assertEquals(Runtime.version().feature(), json.get("java_release").getAsInt());
        assertFalse(json.get("python").getAsString().isBlank());
        assertTrue(data.get("text/plain").contains("cores"), data.get("text/plain"));
    }

    @Test
    void rssOfThisProcessIsPlausibleAndOfNoProcessIsMinusOne() {
        if (!new java.io.File("/proc/self/status").exists()) return; // not Linux: nothing to read
        double mb = Machine.kernelRssMegabytes();
        assertTrue(mb > 10 && mb < 100_000, "RSS " + mb + " MB");
        assertEquals(-1, Machine.rssMegabytes(Long.MAX_VALUE));
    }
}
