package dev.spindle.engine;

import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cell's text cut into JShell snippets, each knowing where its text stands in the cell, so
 * that errors and stack frames point at cell lines and columns rather than snippet ones.
 * <p>
 * JShell's {@code analyzeCompletion} finds where a snippet ends, but for a snippet that starts
 * with a name ({@code foo();}, {@code String s = ...}) it runs a javac parse of all the rest of
 * the cell, once per snippet. A snippet that is one brace-free statement ending in {@code ;}
 * needs no parser to find its end, so those are cut here from the cell's tokens and only the
 * others are left to JShell.
 */
final class CellSource {
    /** Statements whose end a brace-free scan cannot find: they may go on past the first {@code ;}. */
    private static final Set<String> COMPOUND = Set.of("if", "else", "do", "for", "while", "try", "switch",
            "synchronized", "case", "default", "catch", "finally");
    /** Tokens that can end a complete expression or declaration typed without its semicolon. */
    private static final Set<String> TAIL_ENDS = Set.of(")", "]", "++", "--", "this", "true", "false", "null", "super");

    /**
     * One snippet as JShell will compile it. {@code source.substring(lead, lead + length)} is the
     * cell's text from {@code start}; what lies outside it was added here (the braces around a
     * group, a missing semicolon). A group's {@code parts} are the snippets it joins.
     */
    record Piece(String source, int start, int lead, int length, boolean typedSemicolon, List<Piece> parts) {
        static Piece of(String source, int start, int length, boolean typedSemicolon) {
            return new Piece(source, start, 0, length, typedSemicolon, List.of());
        }

        boolean isGroup() {
            return !parts.isEmpty();
        }

        /** Cell offset just after the piece's own text. */
        int end() {
            return start + length;
        }

        /** Where position {@code pos} of {@link #source()} stands in the cell (clamped to the piece). */
        int cellIndex(long pos) {
            return start + (int) Math.max(0, Math.min(length, pos - lead));
        }

        /**
         * The cell line JShell calls line 1 of this snippet in stack frames: that of its first
         * token (JShell blanks comments and counts from the code, not from leading white space).
         */
        int firstLine(String code) {
            List<JavaTokens.Token> ts = JavaTokens.of(source).tokens();
            int at = ts.isEmpty() ? 0 : ts.get(0).start();
            return lineOf(code, at < lead ? start : cellIndex(at));
        }

        /** Cell offset of the first character that is not white space. */
        int codeStart(String code) {
            int i = start;
            while (i < end() && Character.isWhitespace(code.charAt(i))) i++;
            return i;
        }
    }

    private CellSource() {
    }

    static List<Piece> split(SourceCodeAnalysis analysis, String code) {
        List<Piece> pieces = new ArrayList<>();
        JavaTokens lexed = JavaTokens.of(code);
        List<JavaTokens.Token> tokens = lexed.tokens();
        int readableEnd = lexed.readable() ? code.length() : tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).start();
        int consumed = 0, next = 0;
        while (consumed < code.length() && !code.substring(consumed).isBlank()) {
            while (next < tokens.size() && tokens.get(next).start() < consumed) next++;
            int semi = next < tokens.size() ? plainStatementEnd(tokens, next, readableEnd) : -1;
            if (semi >= 0) {
                int end = tokens.get(semi).end();
                pieces.add(Piece.of(code.substring(consumed, end), consumed, end - consumed, true));
                consumed = end;
                continue;
            }
            if (next < tokens.size() && lexed.readable() && isPlainTail(tokens, next)) {
                // JShell takes an expression at the end of the input as it is, without a semicolon
                int end = tokens.get(tokens.size() - 1).end();
                pieces.add(Piece.of(code.substring(consumed, end), consumed, end - consumed, false));
                break;
            }
            String rest = code.substring(consumed);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            SourceCodeAnalysis.Completeness c = info.completeness();
            if (c == SourceCodeAnalysis.Completeness.EMPTY) break;
            if (!c.isComplete()) {
                pieces.add(Piece.of(rest, consumed, rest.length(), rest.strip().endsWith(";")));
                break;
            }
            String source = info.source();
            int used = rest.length() - info.remaining().length();
            boolean withSemi = c == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
            // JShell appended the semicolon: the cell's text ends where the last token does.
            int length = withSemi ? lastCodeEnd(rest, used) : Math.min(source.length(), used);
            pieces.add(Piece.of(source, consumed, length, !withSemi && source.strip().endsWith(";")));
            consumed += used;
        }
        return pieces;
    }

    /**
     * Index of the {@code ;} that ends a one-statement snippet starting at token {@code from}, or
     * -1 when the snippet may be more than that: it has braces (a body, a lambda block, an array
     * initializer), starts a compound statement or a label, or reaches unreadable text.
     */
    private static int plainStatementEnd(List<JavaTokens.Token> tokens, int from, int readableEnd) {
        JavaTokens.Token first = tokens.get(from);
        if (first.kind() == JavaTokens.Kind.KEYWORD && COMPOUND.contains(first.text())) return -1;
        if (first.kind() == JavaTokens.Kind.IDENT && from + 1 < tokens.size() && tokens.get(from + 1).is(":")) return -1;
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            JavaTokens.Token t = tokens.get(i);
            if (t.end() > readableEnd) return -1;
            if (t.kind() != JavaTokens.Kind.OP) continue;
            switch (t.text()) {
                case "{", "}" -> {
                    return -1;
                }
                case "(", "[" -> depth++;
                case ")", "]" -> {
                    if (--depth < 0) return -1;
                }
                case ";" -> {
                    if (depth == 0) return i;
                }
                default -> {
                }
            }
        }
        return -1;
    }

    /**
     * True for a last snippet that is an expression typed without a semicolon: brace-free,
     * balanced, starting with a name or a value and ending in one, and not shaped like a
     * declaration (those JShell completes with a semicolon: left to it).
     */
    private static boolean isPlainTail(List<JavaTokens.Token> tokens, int from) {
        JavaTokens.Token first = tokens.get(from), last = tokens.get(tokens.size() - 1);
        if (JavaTokens.declarationShaped(tokens.subList(from, tokens.size()))) return false;
        if (first.kind() == JavaTokens.Kind.KEYWORD && !Set.of("this", "new", "true", "false", "null", "super").contains(first.text())) {
            return false;
        }
        if (first.kind() == JavaTokens.Kind.OP && !first.is("(")) return false;
        boolean endsWell = last.kind() == JavaTokens.Kind.IDENT || last.kind() == JavaTokens.Kind.LITERAL
                || TAIL_ENDS.contains(last.text());
        if (!endsWell) return false;
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            JavaTokens.Token t = tokens.get(i);
            if (t.kind() != JavaTokens.Kind.OP) continue;
            switch (t.text()) {
                case "{", "}", ";" -> {
                    return false;
                }
                case "(", "[" -> depth++;
                case ")", "]" -> {
                    if (--depth < 0) return false;
                }
                case ":" -> {
                    if (i == from + 1) return false;
                }
                default -> {
                }
            }
        }
        return depth == 0;
    }

    /** Length of {@code text[0, used)} without trailing white space and comments. */
    private static int lastCodeEnd(String text, int used) {
        JavaTokens t = JavaTokens.of(text, 0, used);
        List<JavaTokens.Token> ts = t.tokens();
        if (!t.readable() || ts.isEmpty()) return used;
        return ts.get(ts.size() - 1).end();
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
