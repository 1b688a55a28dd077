package dev.spindle.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class JavadocTextTest {
    @Test
    void inlineTagsBecomeText() {
        String doc = "{@code n} child JVMs, kept warm until {@link Pool#close()}; see {@linkplain Workers the helpers}.";
        assertEquals("n child JVMs, kept warm until Pool.close(); see the helpers.", JavadocText.plain(doc));
        assertEquals("`n` child JVMs, kept warm until `Pool.close()`; see `the helpers`.", JavadocText.markdown(doc));
        assertEquals("a `Map<K, V>` here", JavadocText.markdown("a {@code Map<K, V>} here"));
    }

    @Test
    void preBlocksBecomeFences() {
        String doc = "Example:\n<pre>{@code\nvar w = Workers.thread(() -> { });\nw.start();\n}</pre>\n<p>Then join.";
        String md = JavadocText.markdown(doc);
        assertTrue(md.contains("```java\nvar w = Workers.thread(() -> { });\nw.start();\n```"), md);
        assertTrue(md.endsWith("Then join."), md);
        assertFalse(JavadocText.plain(doc).contains("<pre>"), JavadocText.plain(doc));
    }
}
