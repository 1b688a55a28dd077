package dev.spindle.engine;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What JShell's events for one piece of a cell mean for the cell: the value to show, a compile
 * error or exception as a traceback, and jshell-style notes about declarations that a
 * redefinition changed (printed to the cell's stderr).
 */
final class SnippetResults {
    private final CellExecutionControl control;
    private final Tracebacks tracebacks;

    SnippetResults(CellExecutionControl control, Tracebacks tracebacks) {
        this.control = control;
        this.tracebacks = tracebacks;
    }

    Outcome examine(JShell js, List<SnippetEvent> events, CellSource.Piece piece, String code,
                    int cellNumber, boolean last) {
        SnippetEvent main = null;
        JShellException thrown = null;
        int firstLine = piece.firstLine(code);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                main = e;
                tracebacks.remember(e.snippet().id(), cellNumber, firstLine);
            } else if (e.status() == Snippet.Status.OVERWRITTEN) {
                // Same declaration again: JShell may keep running the old snippet's class, so
                // frames of the old id must point at where the declaration now stands.
                tracebacks.remember(e.snippet().id(), cellNumber, firstLine);
            } else {
                noteDependent(js, e);
            }
            if (e.exception() != null && thrown == null) thrown = e.exception();
        }
        if (main == null) return new Outcome.Value(null, null);
        if (thrown != null) return tracebacks.exception(thrown);
        switch (main.status()) {
            case REJECTED:
                return tracebacks.compileError(cellNumber, code, piece,
                        js.diagnostics(main.snippet()).collect(Collectors.toList()));
            case RECOVERABLE_DEFINED:
            case RECOVERABLE_NOT_DEFINED:
                warnUnresolved(js, main.snippet(), "was declared");
                return new Outcome.Value(null, null);
            default:
                break;
        }
        Object raw = control.takeLastValue();
        if (!last || main.value() == null) return new Outcome.Value(null, null);
        Snippet.SubKind kind = main.snippet().subKind();
        boolean shown = kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || kind == Snippet.SubKind.VAR_VALUE_SUBKIND
                || kind == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
        // As in IPython, a semicolon after the last expression means "run it, don't show it":
        // `list.add(x);`, `display(chart);` and `System.out.printf(..);` are statements.
        if (piece.typedSemicolon()) shown = false;
        // printf/format/append return their PrintStream: the cell printed, it computed nothing
        // worth showing ("PrintStream@1b6d3586"), with or without the semicolon.
        if (raw instanceof java.io.PrintStream && kind != Snippet.SubKind.VAR_VALUE_SUBKIND) shown = false;
        return shown ? new Outcome.Value(main.value(), raw) : new Outcome.Value(null, null);
    }

    /** True if JShell refused to compile the snippet itself (not one that depends on it). */
    static boolean rejected(List<SnippetEvent> events) {
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null && e.status() == Snippet.Status.REJECTED) return true;
        }
        return false;
    }

    /** A redefinition changed another snippet: say what happened to it, as jshell does. */
    private void noteDependent(JShell js, SnippetEvent e) {
        if (!(e.snippet() instanceof DeclarationSnippet)) return;
        boolean wasValid = e.previousStatus() == Snippet.Status.VALID;
        if (wasValid && (e.status() == Snippet.Status.RECOVERABLE_DEFINED
                || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
            warnUnresolved(js, e.snippet(), "can no longer be used");
        } else if (e.status() == Snippet.Status.VALID && e.snippet().kind() == Snippet.Kind.VAR && wasValid) {
            System.err.println("note: " + describe(e.snippet()) + " was recompiled against the new definitions"
                    + " and reset to its default value.");
        }
    }

    private void warnUnresolved(JShell js, Snippet s, String what) {
        if (!(s instanceof DeclarationSnippet d)) return;
        Set<String> deps = js.unresolvedDependencies(d).collect(Collectors.toCollection(LinkedHashSet::new));
        if (deps.isEmpty()) return;
        System.err.println("note: " + describe(s) + " " + what + ", but it cannot be used until "
                + String.join(", ", deps) + (deps.size() == 1 ? " is" : " are") + " declared.");
    }

    private static String describe(Snippet s) {
        String kind = switch (s.kind()) {
            case METHOD -> "method";
            case TYPE_DECL -> "type";
            case VAR -> "variable";
            default -> "snippet";
        };
        return kind + " " + (s instanceof DeclarationSnippet d ? d.name() : s.id());
    }
}
