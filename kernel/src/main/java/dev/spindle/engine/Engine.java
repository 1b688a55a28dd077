package dev.spindle.engine;

import dev.spindle.output.CellContext;

import java.util.List;
import java.util.Optional;

/**
 * Package {@code engine} owns running cells: this interface (the seam the protocol calls) and
 * its JShell implementation. Decorators such as the magics implement it too.
 * <p>
 * The language behind the protocol, in the manner of xeus' interpreter: the protocol layer
 * calls these and never touches JShell. Implementations must be safe to call from the shell
 * thread while {@link #interrupt()} comes from the control thread.
 */
public interface Engine extends AutoCloseable {

    /** Runs a cell to completion (or interruption) on a fresh cell thread; blocks the caller. */
    Outcome execute(String code, CellContext cell);

    /** Evaluates one expression for user_expressions, without side effects on history. */
    Outcome evaluate(String expression, CellContext cell);

    Completion complete(String code, int cursor);

    Optional<Inspection> inspect(String code, int cursor);

    Completeness isComplete(String code);

    /** Adds a jar or class directory for cells to compile and run against. */
    void addToClasspath(String path);

    /** Stops the running cell, if any; returns at once (the cell reports how it ended). */
    void interrupt();

    @Override
    void close();

    /**
     * Completions of the text between {@code start} and {@code end}: names as Jupyter expects
     * them ({@code abs}, not {@code abs(}), and for each what it is (function, class, ...) and,
     * for a method, its signature, shown by JupyterLab beside the name.
     */
    record Completion(List<String> matches, int start, int end, List<Kind> kinds) {
        public Completion(List<String> matches, int start, int end) {
            this(matches, start, end, List.of());
        }
    }

    /** What one completion is: {@code type} in Jupyter's words (function, class, module, instance). */
    record Kind(String match, String type, String signature) {
    }

    record Inspection(String plainText, String markdown) {
    }

    record Completeness(String status, String indent) {
    }
}
