package dev.spindle.engine;

import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's text cut into JShell snippets, each with its offset in the cell, so that errors can
 * point at cell lines rather than snippet lines.
 */
final class CellSource {
    /**
     * One snippet: its source as JShell will compile it, where it starts in the cell, and whether
     * the user ended it with a semicolon (JShell adds one where it is missing).
     */
    record Piece(String source, int offset, boolean typedSemicolon) {
    }

    private CellSource() {
    }

    static List<Piece> split(SourceCodeAnalysis analysis, String code) {
        List<Piece> pieces = new ArrayList<>();
        int consumed = 0;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            SourceCodeAnalysis.Completeness c = info.completeness();
            if (c == SourceCodeAnalysis.Completeness.EMPTY) break;
            if (!c.isComplete()) {
                pieces.add(new Piece(rest, consumed + firstCodeIndex(rest), rest.strip().endsWith(";")));
                break;
            }
            String source = info.source();
            String bare = c == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI && source.endsWith(";")
                    ? source.substring(0, source.length() - 1) : source;
            int at = code.indexOf(bare.strip(), consumed);
            pieces.add(new Piece(source, at >= 0 ? at : consumed + firstCodeIndex(rest),
                    c != SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI && source.strip().endsWith(";")));
            consumed += rest.length() - info.remaining().length();
            rest = info.remaining();
        }
        return pieces;
    }

    private static int firstCodeIndex(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** 1-based line of {@code offset} in {@code text}. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** Text of the 1-based {@code line}. */
    static String lineText(String text, int line) {
        String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }

    /** 0-based column of {@code offset} within its line. */
    static int columnOf(String text, int offset) {
        int start = text.lastIndexOf('\n', Math.max(0, Math.min(offset, text.length()) - 1)) + 1;
        return Math.max(0, offset - start);
    }
}
