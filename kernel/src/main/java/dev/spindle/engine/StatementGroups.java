package dev.spindle.engine;

import dev.spindle.engine.JavaTokens.Kind;
import dev.spindle.engine.JavaTokens.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Joins consecutive plain statements of a cell into one snippet, a block {@code { a(); b(); }},
 * so that JShell compiles one wrapper class for them instead of one per statement (each costs
 * a few javac passes). Declarations (variables, methods, types, imports) stay snippets of their
 * own: JShell's declaration and redefinition semantics depend on it. So does a last expression
 * whose value the cell shows.
 * <p>
 * What joins is decided from tokens, conservatively: a snippet counts as a declaration unless it
 * plainly is a statement, since a declaration inside a block would silently become local. A
 * statement that is not one after all (an expression such as {@code a + b;} that JShell accepts
 * on its own) makes the block fail to compile, and the engine then runs the group's snippets one
 * by one, as if they had never been joined.
 * <p>
 * The block starts on the first statement's line, so line numbers inside it are the cell's.
 */
final class StatementGroups {
    /** Statements that start with a keyword and never declare anything at the top level. */
    private static final Set<String> STATEMENT_KEYWORDS = Set.of("if", "for", "while", "do", "try", "switch",
            "throw", "assert");
    /** Operators that make an expression an assignment, which is a statement. */
    private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
            "<<=", ">>=", ">>>=");

    private StatementGroups() {
    }

    /** The pieces to evaluate: runs of two or more plain statements joined, the rest as they were. */
    static List<CellSource.Piece> plan(String code, List<CellSource.Piece> pieces) {
        List<CellSource.Piece> out = new ArrayList<>();
        List<CellSource.Piece> run = new ArrayList<>();
        for (CellSource.Piece p : pieces) {
            if (isPlainStatement(code, p)) {
                run.add(p);
                continue;
            }
            flush(code, run, out);
            out.add(p);
        }
        flush(code, run, out);
        return out;
    }

    private static void flush(String code, List<CellSource.Piece> run, List<CellSource.Piece> out) {
        if (run.size() == 1) out.add(run.get(0));
        else if (run.size() > 1) out.add(group(code, List.copyOf(run)));
        run.clear();
    }

    /**
     * One snippet for {@code parts}: the cell's text from the first to the last, in braces. The
     * closing brace goes on a line of its own, after any comment the last line ends with.
     */
    static CellSource.Piece group(String code, List<CellSource.Piece> parts) {
        CellSource.Piece first = parts.get(0), last = parts.get(parts.size() - 1);
        String text = code.substring(first.start(), last.end());
        return new CellSource.Piece("{" + text + "\n}", first.start(), 1, text.length(), true, parts);
    }

    /**
     * True if the piece is a statement that may run inside a block with the same effect as on
     * its own: a statement led by a keyword, or an expression statement (call, assignment,
     * increment, object creation) ending in its semicolon. Never true for a declaration.
     */
    static boolean isPlainStatement(String code, CellSource.Piece p) {
        if (p.isGroup() || p.lead() != 0 || !p.typedSemicolon() && !p.source().strip().endsWith("}")) return false;
        JavaTokens lexed = JavaTokens.of(code, p.start(), p.end());
        List<Token> ts = lexed.tokens();
        if (!lexed.readable() || ts.isEmpty()) return false;
        Token first = ts.get(0), last = ts.get(ts.size() - 1);
        if (first.kind() == Kind.KEYWORD && STATEMENT_KEYWORDS.contains(first.text())) return true;
        if (first.is("synchronized")) return ts.size() > 1 && ts.get(1).is("(");
        if (first.is("{")) return true;
        if (!last.is(";")) return false;
        if (first.kind() == Kind.IDENT && ts.size() > 1 && ts.get(1).is(":")) return false; // a label
        boolean startsLikeExpression = first.kind() == Kind.IDENT || first.is("this") || first.is("super")
                || first.is("new") || first.is("(") || first.is("++") || first.is("--");
        if (!startsLikeExpression || JavaTokens.declarationShaped(ts)) return false;
        return isStatementExpression(ts);
    }

    /** Assignment, increment or decrement, or a call or creation: what Java allows as a statement. */
    private static boolean isStatementExpression(List<Token> ts) {
        Token first = ts.get(0), beforeSemi = ts.size() > 1 ? ts.get(ts.size() - 2) : null;
        if (first.is("++") || first.is("--")) return true;
        int depth = 0;
        for (Token t : ts) {
            if (JavaTokens.opens(t)) depth++;
            else if (JavaTokens.closes(t)) depth--;
            else if (depth == 0 && t.kind() == Kind.OP && ASSIGNMENTS.contains(t.text())) return true;
        }
        return beforeSemi != null && (beforeSemi.is(")") || beforeSemi.is("++") || beforeSemi.is("--"));
    }
}
