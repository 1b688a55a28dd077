package dev.spindle.engine;

import java.util.List;

/** What running a cell produced: a value (maybe none) or an error to show. */
public sealed interface Outcome {

    /**
     * Success. {@code text} is JShell's rendering of the last expression's value (null when the
     * cell ends in a statement or declaration); {@code value} is the object itself; {@code page},
     * when not null, is documentation the frontend shows in its pager.
     */
    record Value(String text, Object value, Engine.Inspection page) implements Outcome {
        public Value(String text, Object value) {
            this(text, value, null);
        }

        /** Documentation for the frontend's pager (IPython's {@code name?}), with no value. */
        public static Value paged(Engine.Inspection page) {
            return new Value(null, null, page);
        }

        public boolean present() {
            return text != null;
        }
    }

    /** Failure: compile error, exception, or interrupt, formatted for the frontend. */
    record Failure(String ename, String evalue, List<String> traceback) implements Outcome {
    }
}
