package dev.spindle.engine;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Formats compile errors and exceptions the way a notebook user reads them: cell and line
 * numbers instead of JShell's synthetic classes, no kernel or reflection frames, repeated
 * frames (deep recursion) folded.
 */
final class Tracebacks {
    private static final String RED = "\u001b[0;31m", BOLD = "\u001b[1m", CYAN = "\u001b[0;36m",
            GREEN = "\u001b[0;32m", RESET = "\u001b[0m";
    private static final int MAX_FRAMES = 40;

    /** Where each snippet came from: snippet id to cell number and first line in the cell. */
    private final Map<String, int[]> origins = new ConcurrentHashMap<>();

    void remember(String snippetId, int cell, int firstLine) {
        origins.put(snippetId, new int[]{cell, firstLine});
    }

    Outcome.Failure compileError(int cell, String cellCode, CellSource.Piece piece, List<Diag> diags) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) continue;
            String msg = UserNames.compileMessage(d.getMessage(Locale.ROOT));
            if (first == null) first = msg;
            long pos = d.getPosition() >= 0 ? d.getPosition() : Math.max(0, d.getStartPosition());
            // Diagnostic positions count from the snippet's first character, which may be the
            // white space (or the brace of a group) before the code.
            int offset = piece.cellIndex(pos);
            int line = CellSource.lineOf(cellCode, offset);
            int col = CellSource.columnOf(cellCode, offset);
            tb.add(RED + BOLD + "Compile error" + RESET + " in " + where(cell, line) + ":");
            tb.add("    " + CellSource.lineText(cellCode, line));
            tb.add("    " + caretIndent(CellSource.lineText(cellCode, line), col) + GREEN + "^" + RESET);
            tb.add(msg);
        }
        if (first == null) {
            first = "this code could not be compiled";
            tb.add(RED + "Compile error" + RESET + " in "
                    + where(cell, CellSource.lineOf(cellCode, piece.codeStart(cellCode))) + ": " + first);
        }
        return new Outcome.Failure("CompilationError", first, tb);
    }

    /** Spaces up to {@code col}, with the line's own tabs kept so that the caret lines up. */
    private static String caretIndent(String line, int col) {
        StringBuilder sb = new StringBuilder(col);
        for (int i = 0; i < col; i++) sb.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
        return sb.toString();
    }

    Outcome.Failure exception(JShellException ex) {
        String ename = ex instanceof EvalException ee ? UserNames.className(ee.getExceptionClassName())
                : ex instanceof UnresolvedReferenceException ? "UnresolvedReferenceException" : ex.getClass().getName();
        String evalue = ex instanceof UnresolvedReferenceException ure
                ? "this uses " + ure.getSnippet().source().strip().split("\n", 2)[0]
                + ", which cannot run until what it refers to is declared"
                : UserNames.message(ex.getMessage() == null ? "" : ex.getMessage());
        List<String> tb = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = ex;
        boolean top = true;
        while (t != null && seen.add(t)) {
            String cls = UserNames.className(t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName());
            String msg = t == ex ? evalue : t.getMessage() == null ? null : UserNames.message(t.getMessage());
            tb.add((top ? "" : "Caused by: ") + RED + cls + RESET + (msg == null || msg.isEmpty() ? "" : ": " + msg));
            frames(t.getStackTrace(), tb);
            t = t.getCause();
            top = false;
        }
        return new Outcome.Failure(ename, evalue, tb);
    }

    /** Failure for a plain Java throwable that escaped outside JShell's translation. */
    Outcome.Failure throwable(Throwable t) {
        List<String> tb = new ArrayList<>();
        String msg = UserNames.message(t.getMessage());
        tb.add(RED + t.getClass().getName() + RESET + (msg == null ? "" : ": " + msg));
        frames(t.getStackTrace(), tb);
        return new Outcome.Failure(t.getClass().getName(), String.valueOf(msg), tb);
    }

    private void frames(StackTraceElement[] stack, List<String> out) {
        String previous = null;
        int repeats = 0, shown = 0;
        for (StackTraceElement f : stack) {
            if (hidden(f)) continue;
            String line = "    at " + describe(f);
            if (line.equals(previous)) {
                repeats++;
                continue;
            }
            if (repeats > 0) out.add("    ... the frame above repeated " + repeats + " more times");
            repeats = 0;
            previous = line;
            if (shown++ == MAX_FRAMES) {
                out.add("    ...");
                break;
            }
            out.add(line);
        }
        if (repeats > 0) out.add("    ... the frame above repeated " + repeats + " more times");
    }

    private static boolean hidden(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("dev.spindle.")
                || c.startsWith("sun.reflect.") || (c.equals("java.lang.Thread") && f.getMethodName().equals("run"));
    }

    private String describe(StackTraceElement f) {
        String file = f.getFileName();
        String cls = f.getClassName();
        if (file != null && file.startsWith("#")) {
            int[] origin = origins.get(file.substring(1));
            String method = f.getMethodName();
            String name = userClassName(cls);
            boolean wrapper = method.isEmpty() || method.equals("do_it$");
            if (method.startsWith("lambda$")) method = "lambda";
            String what = wrapper ? "" : CYAN + (name.isEmpty() ? "" : name + ".") + method + RESET + " ";
            if (origin != null) {
                int line = origin[1] + Math.max(1, f.getLineNumber()) - 1;
                return what + (wrapper ? "" : "(") + where(origin[0], line) + (wrapper ? "" : ")");
            }
            return what + "(snippet " + file + ", line " + f.getLineNumber() + ")";
        }
        return f.toString();
    }

    /** {@code REPL.$JShell$12$Point} becomes {@code Point}; the wrapper itself becomes "". */
    private static String userClassName(String cls) {
        if (!cls.startsWith("REPL.$JShell$")) return cls;
        int nested = cls.indexOf('$', "REPL.$JShell$".length());
        return nested < 0 ? "" : cls.substring(nested + 1).replace('$', '.');
    }

    private static String where(int cell, int line) {
        return (cell > 0 ? "cell [" + cell + "], " : "") + "line " + line;
    }
}
