package dev.spindle.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SyntaxProbeTest {
    @Test
    void unfinishedCodeCouldContinue() {
        for (String code : new String[]{"for (int i = 0; i < 3; i++) {", "class A {", "String s = \"a\" +",
                "void f(int x) {", "import java.util.", "int[] xs = {1, 2,", "/* a comment"}) {
            assertTrue(SyntaxProbe.couldContinue(code), code);
        }
    }

    @Test
    void brokenCodeCannot() {
        for (String code : new String[]{"@@@", "int x = ;) {", "class 1A {"}) {
            assertFalse(SyntaxProbe.couldContinue(code), code);
        }
    }
}
