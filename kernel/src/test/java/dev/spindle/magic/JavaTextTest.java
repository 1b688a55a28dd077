package dev.spindle.magic;

import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaTextTest {
    /** The literal must compile back to the very same text, whatever the %%python cell holds. */
    @Test
    void quotedTextCompilesBackToItself() throws Exception {
        String nasty = "print(\"hi\")\n\tx = '\\\\' + \"\\n\"\r\né ü 😀 \u0000 end";
        Path dir = Files.createTempDirectory("javatext");
        Files.writeString(dir.resolve("Q.java"), "public class Q { public static String s() { return "
                + JavaText.quote(nasty) + "; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, dir.resolve("Q.java").toString()));
        try (URLClassLoader l = new URLClassLoader(new java.net.URL[]{dir.toUri().toURL()})) {
            assertEquals(nasty, l.loadClass("Q").getMethod("s").invoke(null));
        }
    }

    @Test
    void magicsAreLinesStartingWithPercent() {
        assertTrue(MagicEngine.hasMagic("%%time\nint x = 1;"));
        assertTrue(MagicEngine.hasMagic("int x = 1;\n  %timeit x + 1"));
        assertFalse(MagicEngine.hasMagic("int x = 10 % 3;\nString s = \"%d\";"));
    }
}
