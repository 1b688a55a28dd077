package dev.spindle.protocol;

/**
 * Jupyter counts cursor positions in Unicode code points; Java strings index UTF-16 units.
 * The two differ as soon as a cell holds an emoji or other astral character.
 */
final class Codepoints {
    private Codepoints() {
    }

    static int toIndex(String s, int codepoint) {
        int cp = Math.max(0, Math.min(codepoint, s.codePointCount(0, s.length())));
        return s.offsetByCodePoints(0, cp);
    }

    static int toCodepoint(String s, int index) {
        return s.codePointCount(0, Math.max(0, Math.min(index, s.length())));
    }
}
