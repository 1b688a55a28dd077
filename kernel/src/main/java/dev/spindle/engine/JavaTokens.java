package dev.spindle.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small Java lexer, enough to tell a plain statement from a declaration and to find where a
 * one-line snippet ends without asking javac: identifiers, keywords, literals and operators,
 * with comments, strings, text blocks and char literals skipped as units. It never guesses:
 * text it cannot read (an unterminated literal or comment, a unicode escape, a stray
 * character) makes the result {@linkplain #readable() unreadable}, and callers then leave the
 * text to JShell.
 */
final class JavaTokens {
    enum Kind { IDENT, KEYWORD, LITERAL, OP }

    /** One token: what it is and where it stands in the text ({@code end} exclusive). */
    record Token(Kind kind, String text, int start, int end) {
        boolean is(String s) {
            return text.equals(s) && kind != Kind.LITERAL;
        }
    }

    /** Reserved words; contextual ones (var, record, yield, sealed...) are identifiers here. */
    static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null");

    /** Operators, longest first so that the first match is the longest one. */
    private static final String[] OPERATORS = {
            ">>>=", "<<=", ">>=", ">>>", "...", "->", "::", "++", "--", "&&", "||", "==", "!=", "<=", ">=",
            "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>"};
    private static final String SINGLE = "(){}[];,.@=><!~?:+-*/&|^%";

    private final List<Token> tokens;
    private final boolean readable;

    private JavaTokens(List<Token> tokens, boolean readable) {
        this.tokens = tokens;
        this.readable = readable;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** False when some of the text could not be read; the tokens then stop where reading did. */
    boolean readable() {
        return readable;
    }

    static JavaTokens of(String s) {
        return of(s, 0, s.length());
    }

    /** The tokens of {@code s} from {@code from} to {@code to}, with offsets into {@code s}. */
    static JavaTokens of(String s, int from, int to) {
        List<Token> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < to && s.charAt(i + 1) == '/') {
                while (i < to && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < to && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                if (close < 0 || close + 2 > to) return new JavaTokens(out, false);
                i = close + 2;
            } else if (c == '"' || c == '\'') {
                int end = literalEnd(s, i, to);
                if (end < 0) return new JavaTokens(out, false);
                out.add(new Token(Kind.LITERAL, s.substring(i, end), i, end));
                i = end;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < to && Character.isDigit(s.charAt(i + 1)))) {
                boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
                int j = i + 1;
                while (j < to) {
                    char d = s.charAt(j);
                    boolean sign = (d == '+' || d == '-') && (hex ? "pP" : "eE").indexOf(s.charAt(j - 1)) >= 0;
                    if (Character.isLetterOrDigit(d) || d == '_' || d == '.' || sign) j++;
                    else break;
                }
                out.add(new Token(Kind.LITERAL, s.substring(i, j), i, j));
                i = j;
            } else if (Character.isJavaIdentifierStart(c)) {
                int j = i + 1;
                while (j < to && Character.isJavaIdentifierPart(s.charAt(j))) j++;
                String word = s.substring(i, j);
                out.add(new Token(KEYWORDS.contains(word) ? Kind.KEYWORD : Kind.IDENT, word, i, j));
                i = j;
            } else {
                String op = operatorAt(s, i, to);
                if (op == null) return new JavaTokens(out, false);
                out.add(new Token(Kind.OP, op, i, i + op.length()));
                i += op.length();
            }
        }
        return new JavaTokens(out, true);
    }

    /**
     * True if, outside parentheses, brackets and braces, a name follows a type-like token
     * ({@code Type name}, {@code List<String> name}, {@code int[] name}, {@code a.B c}): the
     * shape of every variable and method declaration, and of no expression statement.
     */
    static boolean declarationShaped(List<Token> ts) {
        int depth = 0;
        Token previous = null; // the last token at the top level; a closing bracket counts as one
        for (Token t : ts) {
            if (opens(t)) {
                if (depth++ == 0) previous = t;
            } else if (closes(t)) {
                if (--depth == 0) previous = t;
            } else if (depth == 0) {
                if (t.kind() == Kind.IDENT && previous != null && (previous.kind() == Kind.IDENT
                        || previous.is(">") || previous.is(">>") || previous.is(">>>") || previous.is("]"))) {
                    return true;
                }
                previous = t;
            }
        }
        return false;
    }

    static boolean opens(Token t) {
        return t.is("(") || t.is("[") || t.is("{");
    }

    static boolean closes(Token t) {
        return t.is(")") || t.is("]") || t.is("}");
    }

    private static String operatorAt(String s, int i, int to) {
        for (String op : OPERATORS) {
            if (i + op.length() <= to && s.startsWith(op, i)) return op;
        }
        return SINGLE.indexOf(s.charAt(i)) >= 0 ? String.valueOf(s.charAt(i)) : null;
    }

    /** End (exclusive) of the string, text block or char literal at {@code i}; -1 if unterminated. */
    private static int literalEnd(String s, int i, int to) {
        char q = s.charAt(i);
        if (q == '"' && s.startsWith("\"\"\"", i)) {
            int j = i + 3;
            while (j < to) {
                if (s.charAt(j) == '\\') j += 2;
                else if (s.startsWith("\"\"\"", j)) return j + 3 <= to ? j + 3 : -1;
                else j++;
            }
            return -1;
        }
        int j = i + 1;
        while (j < to) {
            char c = s.charAt(j);
            if (c == '\\') j += 2;
            else if (c == q) return j + 1;
            else if (c == '\n') return -1;
            else j++;
        }
        return -1;
    }
}
