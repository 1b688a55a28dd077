package dev.spindle.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CodepointsTest {
    @Test
    void astralCharactersCountOnceForJupyter() {
        String s = "\"😀\".len";
        assertEquals(s.length(), Codepoints.toIndex(s, 7));
        assertEquals(7, Codepoints.toCodepoint(s, s.length()));
        assertEquals(0, Codepoints.toIndex(s, -3));
    }
}
