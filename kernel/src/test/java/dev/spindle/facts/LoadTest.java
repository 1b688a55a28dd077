package dev.spindle.facts;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class LoadTest {
    @Test
    void busyTicksSkipIdleAndIowait() {
        // user nice system idle iowait irq softirq steal
        assertEquals(1 + 2 + 3 + 6 + 7 + 8, Load.parseBusy("cpu  1 2 3 4000 5000 6 7 8 0 0"));
        assertEquals(-1, Load.parseBusy("cpu0 1 2 3 4 5 6 7 8"));
    }

    @Test
    void processTicksCountFromTheLastParenthesis() {
        // A command name with spaces and a ')' of its own must not shift the fields.
        String stat = "4242 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 100 20 3 4 20 0 30 0 5 6 7";
        assertEquals(100 + 20 + 3 + 4, Load.parseProcessTicks(stat));
    }

    @Test
    void freeCoresAndOthers() {
        Load idle = new Load(2.0, 0.1, 2);
        assertEquals(0.05, idle.othersCores(), 1e-9);
        assertEquals(1.95, idle.freeCores(), 1e-9);
        Load hog = new Load(2.0, 2.0, 2);
        assertEquals(1.0, hog.freeCores(), 1e-9);
        assertFalse(Load.unknown(1).known());
        assertEquals(2, Load.unknown(1).plus(idle).cores());
        assertEquals(new Load(4.0, 2.1, 2), idle.plus(hog));
    }

    @Test
    void othersOnCpusOutsideTheContainersShareLeaveItsCoresFree() {
        // A JVM limited to 2 of the host's 8 CPUs: others using 4 of the 8 may all run elsewhere.
        assertEquals(2.0, new Load(1.0, 4.0, 2, 8).freeCores(), 1e-9);
        // Once others use more than the 6 CPUs outside the share, they must have taken some of it.
        assertEquals(1.0, new Load(1.0, 7.0, 2, 8).freeCores(), 1e-9);
        assertEquals(8, new Load(1.0, 1.0, 2, 8).plus(new Load(1.0, 1.0, 2)).hostCpus());
    }

    @Test
    void watchReadsProcOnLinux() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc on this system");
        Load.Watch w = Load.watch();
        long spin = System.nanoTime() + 50_000_000L;
        double x = 0;
        while (System.nanoTime() < spin) x += Math.sqrt(x + 1);
        Load l = w.stop();
        assertTrue(x > 0);
        assertTrue(l.known(), l.toString());
        assertTrue(l.wallSeconds() >= 0.05, l.toString());
        assertTrue(l.othersCpuSeconds() >= 0 && l.freeCores() <= l.cores(), l.toString());
    }

    @Test
    void aBusyMachineMakesTheClaimInconclusiveAndSaysWhy() {
        int cores = Machine.cores();
        Load busy = new Load(2.0, 2.0 * cores, cores); // others took every core
        Claim c = Claim.of("speedup", "two processes halve the time")
                .measured("speed-up", 1.03, "x")
                .needsCores(1, busy)
                .verdict(Verdict.WRONG, "no speed-up");
        assertTrue(c.machineWasBusy());
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertEquals(Verdict.WRONG, c.measuredVerdict());
        assertTrue(c.because().contains("wrong"), c.because());
        JsonObject json = JsonParser.parseString(c.toMimeBundle().data().get(Claim.MIME)).getAsJsonObject();
        assertEquals("INCONCLUSIVE", json.get("verdict").getAsString());
        assertEquals("WRONG", json.get("measured_verdict").getAsString());
        assertTrue(json.getAsJsonObject("load").get("busy").getAsBoolean());
        assertTrue(c.toMimeBundle().data().get("text/html").contains("inconclusive: machine busy"));
    }

    @Test
    void anIdleMachineKeepsTheVerdict() {
        int cores = Machine.cores();
        Claim c = Claim.of("speedup", "x").needsCores(cores, new Load(3.0, 0.1, cores)).holdsIf(true);
        assertFalse(c.machineWasBusy());
        assertEquals(Verdict.HOLDS, c.verdict());
        assertTrue(c.toString().contains("free cores while measured"), c.toString());
        // More cores than the machine has can never be judged here.
        assertEquals(Verdict.INCONCLUSIVE, Claim.of("x", "y").needsCores(cores + 1).holdsIf(true).verdict());
        // An unknown load (no /proc) never makes a claim inconclusive by itself.
        assertEquals(Verdict.HOLDS, Claim.of("x", "y").needsCores(1, Load.unknown(1)).holdsIf(true).verdict());
    }
}
