package dev.spindle.engine;

import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;
import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellCodeWeaverTest {
    private static Class<?> wovenClass(String name, String source) throws Exception {
        Path dir = Files.createTempDirectory("weave");
        Files.writeString(dir.resolve(name + ".java"), source);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                dir.resolve(name + ".java").toString());
        assertTrue(rc == 0);
        byte[] woven = CellCodeWeaver.weave(Files.readAllBytes(dir.resolve(name + ".class")));
        return new ClassLoader(CellCodeWeaverTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(name, woven, 0, woven.length);
            }
        }.define();
    }

    @Test
    void exitCallsAreRedirectedToTheGuard() throws Exception {
        Class<?> c = wovenClass("Exits", "public class Exits {"
                + " public static void sys() { System.exit(4); }"
                + " public static void rt() { Runtime.getRuntime().exit(5); }"
                + " public static void halt() { Runtime.getRuntime().halt(6); } }");
        for (String m : new String[]{"sys", "rt", "halt"}) {
            var e = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> c.getMethod(m).invoke(null));
            assertTrue(e.getCause() instanceof SecurityException, m + ": " + e.getCause());
        }
    }

    @Test
    void threadsOfAStoppedCellEndAtTheNextLoopCheck() throws Exception {
        Class<?> c = wovenClass("Spin", "public class Spin { public static long spin() { long n = 0; while (true) { n++; } } }");
        CellContext cell = new CellContext(1, false, new CellContext.OutputBudget(0));
        Throwable[] ended = new Throwable[1];
        Thread t = new Thread(() -> {
            CellContexts.bind(cell);
            try {
                c.getMethod("spin").invoke(null);
            } catch (java.lang.reflect.InvocationTargetException e) {
                ended[0] = e.getCause();
            } catch (ReflectiveOperationException e) {
                ended[0] = e;
            }
        });
        t.start();
        StopCheck.stop(cell);
        t.join(10_000);
        StopCheck.forget(cell);
        assertTrue(ended[0] instanceof CellStoppedError, String.valueOf(ended[0]));
    }

}
