package dev.spindle.facts;

/** What a measurement in this notebook says about a claim taken from an article. */
public enum Verdict {
    /** The claim is true here, on the JVM. */
    HOLDS("holds on the JVM", "#1a7f37"),
    /** The claim is true of CPython (its GIL, its fork) but not of the JVM; a {@code %%python} cell shows it. */
    CPYTHON_ONLY("holds only for CPython", "#9a6700"),
    /** The claim is false, on the JVM and in CPython alike. */
    WRONG("wrong", "#cf222e"),
    /**
     * The numbers cannot decide it: other programs took cores the claim needs while it was
     * measured (see {@link Claim#needsCores}). Rerun on a quieter machine.
     */
    INCONCLUSIVE("inconclusive: machine busy", "#6e7781");

    private final String label;
    private final String colour;

    Verdict(String label, String colour) {
        this.label = label;
        this.colour = colour;
    }

    /** A few words for the reader, e.g. "holds only for CPython". */
    public String label() {
        return label;
    }

    String colour() {
        return colour;
    }
}
