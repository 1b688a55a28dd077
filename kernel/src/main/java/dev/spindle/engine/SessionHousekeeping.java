package dev.spindle.engine;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.VarSnippet;

import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Keeps a long session as small and fast as a fresh one: after every cell, once enough
 * snippets have been replaced or have finished, {@link SnippetPruner} releases them from
 * JShell and {@link CellExecutionControl} retires their class bytes; while the kernel is idle,
 * javac's pooled contexts (which hold a symbol for every wrapper class they ever read) are
 * replaced by fresh ones and warmed, so no cell pays for that.
 * <p>
 * Every expression cell leaves a JShell variable behind ({@code $12}), and every later compile
 * imports each of them: a session of thousands of expressions would compile slower and slower
 * and keep every value. As IPython keeps a bounded output history, only the newest
 * {@value #KEEP_VALUES} of these values are kept, plus any that a live snippet names.
 * <p>
 * Runs with the JShell lock held, between cells.
 */
final class SessionHousekeeping {
    private static final Logger LOG = Logger.getLogger(SessionHousekeeping.class.getName());
    /** Prune once this many snippets can go: a pass costs a few milliseconds (most of it deflating class bytes). */
    private static final int PRUNE_AFTER = 64;
    /** Replace javac's contexts when idle once this many snippets went since the last time. */
    private static final int RESET_COMPILER_AFTER = 200;
    /** ...and even without idle time, at this many: a session of back-to-back cells. */
    private static final int RESET_COMPILER_ANYWAY = 2000;
    /** Newest expression values ({@code $N}) kept; older ones go once this many more piled up. */
    static final int KEEP_VALUES = 32;
    private static final int VALUES_SLACK = 16;

    private final SnippetPruner pruner = new SnippetPruner();
    private final CellExecutionControl control;
    private int keptAtLastPrune;
    private int releasedSinceReset;

    SessionHousekeeping(CellExecutionControl control) {
        this.control = control;
    }

    /** After a cell: drop old expression values and prune if enough has piled up. */
    void afterCell(JShell js) {
        dropOldValues(js);
        int held = pruner.heldSnippets(js);
        if (held < 0 || held - keptAtLastPrune < PRUNE_AFTER) return;
        prune(js, releasedSinceReset + (held - keptAtLastPrune) >= RESET_COMPILER_ANYWAY);
    }

    /** After the warm-up: release its snippets, keep javac's warmed contexts. */
    void afterWarmUp(JShell js) {
        if (pruner.heldSnippets(js) >= 0) prune(js, false);
    }

    /**
     * While idle: prune, and replace javac's pooled contexts if many snippets went since they
     * were last replaced. Returns true if the compiler was reset (the caller warms it).
     */
    boolean whenIdle(JShell js) {
        int held = pruner.heldSnippets(js);
        if (held < 0) return false;
        boolean reset = releasedSinceReset + (held - keptAtLastPrune) >= RESET_COMPILER_AFTER;
        if (held - keptAtLastPrune == 0 && !reset) return false;
        prune(js, reset);
        return reset;
    }

    /** Drops the oldest {@code $N} values beyond {@link #KEEP_VALUES} that no live snippet names. */
    private static void dropOldValues(JShell js) {
        List<VarSnippet> values = js.variables()
                .filter(v -> v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND).toList();
        if (values.size() <= KEEP_VALUES + VALUES_SLACK) return;
        StringBuilder live = new StringBuilder();
        js.snippets().filter(sn -> js.status(sn).isActive()).forEach(sn -> live.append(sn.source()).append('\n'));
        String sources = live.toString();
        // JShell lists snippets in the order they were made: the first ones are the oldest.
        for (VarSnippet v : values.subList(0, values.size() - KEEP_VALUES)) {
            Pattern use = Pattern.compile(Pattern.quote(v.name()) + "(?![\\w$])");
            // Its own source is "expression", not its name; a mention elsewhere keeps it.
            if (use.matcher(sources).find()) continue;
            js.drop(v);
        }
    }

    private void prune(JShell js, boolean resetCompiler) {
        long t0 = System.nanoTime();
        int[] released = new int[2];
        Set<String> current = pruner.prune(js, control, resetCompiler, released);
        if (current == null) return;
        int retired = control.retireClassesExcept(current);
        keptAtLastPrune = pruner.heldSnippets(js);
        releasedSinceReset = resetCompiler ? 0 : releasedSinceReset + released[0];
        LOG.info(() -> String.format("released %d snippets, %d classes (%d of our class records)%s in %.1f ms; %d snippets kept",
                released[0], released[1], retired, resetCompiler ? ", fresh javac contexts" : "",
                (System.nanoTime() - t0) / 1e6, keptAtLastPrune));
    }
}
