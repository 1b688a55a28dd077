package dev.spindle.internal.process;

import dev.spindle.concurrent.RemoteTaskException;
import dev.spindle.internal.process.wire.Serial;
import dev.spindle.internal.process.wire.TaskOutcome;
import dev.spindle.internal.process.wire.Wire;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** One reading of a child's report for process workers and pools alike. */
class ChildReportTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void aValueComesBack() throws Exception {
        ChildReport.Result r = ChildReport.read(new TaskOutcome(1, Wire.encode(42), null, null, 7, 0), loader, "w");
        assertEquals(42, r.value());
        assertNull(r.error());
    }

    @Test
    void aSerializedExceptionComesBackAsItself() throws Exception {
        IllegalArgumentException thrown = new IllegalArgumentException("bad input");
        ChildReport.Result r = ChildReport.read(new TaskOutcome(1, null, Serial.toBytes(thrown), null, 7, 0), loader, "w");
        assertInstanceOf(IllegalArgumentException.class, r.error());
        assertArrayEquals(thrown.getStackTrace(), r.error().getStackTrace());
    }

    @Test
    void anExceptionThatCouldNotTravelKeepsTheChildsStackTrace() {
        var failure = new TaskOutcome.RemoteFailure("cell.Unsendable", "deep", new String[]{"a.b(C.java:3)", "d.e(F.java:9)"});
        ChildReport.Result r = ChildReport.read(new TaskOutcome(1, null, null, failure, 7, 0), loader, "w");
        RemoteTaskException e = assertInstanceOf(RemoteTaskException.class, r.error());
        assertEquals("cell.Unsendable", e.remoteClass());
        assertEquals(7, e.pid());
        assertEquals(2, e.getStackTrace().length);
        assertTrue(e.getStackTrace()[0].toString().contains("a.b(C.java:3)"), e.getStackTrace()[0].toString());
    }

    @Test
    void anUnreadableResultIsAClearError() {
        ChildReport.Result r = ChildReport.read(new TaskOutcome(1, new byte[]{(byte) 0x7f}, null, null, 7, 0), loader, "w");
        assertInstanceOf(IllegalStateException.class, r.error());
        assertTrue(r.error().getMessage().contains("'w' could not be read back"), r.error().getMessage());
    }

    @Test
    void everyLineGetsThePrefix() {
        assertEquals("[p 1] a\n[p 1] b\n[p 1] c", ChildReport.prefix("[p 1] ", "a\nb\nc"));
    }
}
