package dev.spindle.engine;

import dev.spindle.internal.process.NotebookState;
import jdk.jshell.Snippet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Edited reruns and expression cells, as a long session makes them: JShell forgets replaced
 * snippets and finished statements, and old values beyond a window, while everything that
 * can still be used keeps working (current definitions, variables, classes of replaced
 * versions for child JVMs). Surefire opens jdk.jshell as the kernel jar's manifest does.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS) // a few hundred cells on a loaded 2-core machine
class SessionHousekeepingTest extends EngineTestBase {
    private Outcome.Value ok(String code) {
        Outcome o = run(code);
        return assertInstanceOf(Outcome.Value.class, o, () -> code + " failed: " + o);
    }

    private static String edit(int i) {
        return "class Tally implements java.io.Serializable { int step = " + i + "; int bump(int n) { return n + step; } }\n"
                + "int tally(int n) { return new Tally().bump(n) + " + i + "; }\n"
                + "System.out.print(\"\");";
    }

    private long held() {
        return engine.withShell(js -> js.snippets().count(), -1L);
    }

    @Test
    void editedRerunsReleaseReplacedSnippetsAndKeepWhatIsCurrent() {
        ok("int kept = 7;");
        ok(edit(0));
        ok("List<Object> olds = new ArrayList<>();");
        ok("olds.add(new Tally());");
        String oldTally = engine.withShell(js -> js.types().filter(t -> t.name().equals("Tally"))
                .findFirst().orElseThrow().id(), "");
        NotebookState state = engine.notebookState();
        String oldClass = state.liveClasses().keySet().stream().filter(n -> n.endsWith("$Tally")).findFirst().orElseThrow();
        assertFalse(oldTally.isEmpty());

        int edits = 80;
        for (int i = 1; i <= edits; i++) ok(edit(i));

        // Each edit makes three snippets (class, method, statement): without release JShell
        // would hold over 300 here.
        assertTrue(held() < 200, "JShell still holds " + held() + " snippets after " + edits + " edited reruns");
        assertEquals(String.valueOf(5 + 2 * edits), ok("tally(5)").text(), "the newest edit runs");
        assertEquals("7", ok("kept").text());
        assertEquals("true", ok("olds.get(0).getClass().getName().endsWith(\"$Tally\")").text());

        Map<String, byte[]> live = state.liveClasses();
        assertTrue(live.keySet().stream().anyMatch(n -> n.endsWith("$Tally")), "the current Tally is shipped: " + live.keySet());
        assertFalse(live.containsKey(oldClass), "a replaced version is not shipped eagerly");
        assertTrue(state.classBytes(oldClass).isPresent(), "a replaced version can still be fetched: " + oldClass);
        byte[] bytes = state.classBytes(oldClass).orElseThrow();
        assertEquals(0xCAFEBABE, ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff),
                "the retired bytes come back as a class file");
        assertTrue(state.variables().stream().anyMatch(v -> v.name().equals("kept") && Integer.valueOf(7).equals(v.value())));
    }

    @Test
    void oldExpressionValuesGoUnlessSomethingNamesThem() {
        ok("40 + 2");
        String first = engine.withShell(js -> {
            List<String> names = js.variables().filter(v -> v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)
                    .map(v -> v.name()).toList();
            return names.get(names.size() - 1);
        }, "");
        ok("int fromValue = " + first + " + 1;");
        for (int i = 0; i < 100; i++) ok(i + " * 2");
        long values = engine.withShell(js -> js.variables()
                .filter(v -> v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND).count(), -1L);
        assertTrue(values <= SessionHousekeeping.KEEP_VALUES + 17, values + " expression values kept");
        assertEquals("42", ok(first).text(), first + " is named by a declaration: it stays");
        assertEquals("43", ok("fromValue").text());
    }
}
