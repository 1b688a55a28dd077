package dev.spindle.facts;

import dev.spindle.output.Json;

import dev.spindle.output.Html;
import dev.spindle.output.MimeBundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A claim from an article, the numbers measured for it, and the verdict they support. Show it
 * as a cell's last expression or with {@code display(claim)}:
 *
 * <pre>{@code
 * Claim.of("sleep-overlap", "Two threads that each sleep 1 s finish in about 1 s")
 *      .measured("wall time, 2 threads", wall, "s")
 *      .holdsIf(wall < 1.5)
 * }</pre>
 *
 * It renders as a short verdict box (HTML), as text, and as JSON of MIME type
 * {@value #MIME} so that tests and reports can read every verdict of a notebook from its outputs.
 */
public final class Claim {
    /** The MIME type of the machine-readable form. */
    public static final String MIME = "application/vnd.spindle.claim+json";

    private final String id;
    private final String statement;
    private final List<String[]> measured = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private Verdict verdict;
    private String because = "";

    private Claim(String id, String statement) {
        this.id = Objects.requireNonNull(id, "id");
        this.statement = Objects.requireNonNull(statement, "statement");
    }

    /**
     * A claim, with a short stable id (letters, digits, dashes) and the statement in your words.
     */
    public static Claim of(String id, String statement) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a claim id is letters, digits, '.', '_' or '-': " + id);
        }
        return new Claim(id, statement);
    }

    /** Records a number measured for this claim, with its unit ("s", "ms", "x", "MB", ...). */
    public Claim measured(String what, double value, String unit) {
        measured.add(new String[]{what, format(value) + (unit == null || unit.isEmpty() ? "" : " " + unit)});
        values.put(what, value);
        return this;
    }

    /** Records an observation that is not a number (a list's contents, two PIDs, ...). */
    public Claim measured(String what, Object observation) {
        String text = String.valueOf(observation);
        measured.add(new String[]{what, text});
        values.put(what, text);
        return this;
    }

    /** {@link Verdict#HOLDS} if {@code holds}, else {@link Verdict#WRONG}. */
    public Claim holdsIf(boolean holds) {
        return verdict(holds ? Verdict.HOLDS : Verdict.WRONG);
    }

    /** Sets the verdict. */
    public Claim verdict(Verdict verdict) {
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        return this;
    }

    /** Sets the verdict and one sentence saying why. */
    public Claim verdict(Verdict verdict, String because) {
        verdict(verdict);
        this.because = because == null ? "" : because;
        return this;
    }

    /** One sentence saying why, shown under the verdict. */
    public Claim because(String because) {
        this.because = because == null ? "" : because;
        return this;
    }

    public String id() {
        return id;
    }

    public String statement() {
        return statement;
    }

    /** The verdict, or null if none was given yet. */
    public Verdict verdict() {
        return verdict;
    }

    /** What was measured, by name: numbers as {@code Double}, observations as text. */
    public Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** HTML, text and JSON ({@value #MIME}) forms. */
    public MimeBundle toMimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/html", toHtml());
        m.put(MIME, toJson());
        m.put("text/plain", toString());
        return new MimeBundle(m);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("Claim: ").append(statement).append('\n');
        for (String[] row : measured) sb.append("  ").append(row[0]).append(": ").append(row[1]).append('\n');
        sb.append("Verdict: ").append(verdict == null ? "not decided" : verdict.label());
        if (!because.isEmpty()) sb.append(" (").append(because).append(')');
        return sb.toString();
    }

    private String toHtml() {
        String colour = verdict == null ? "#57606a" : verdict.colour();
        StringBuilder sb = new StringBuilder();
        sb.append("<div style=\"border-left:4px solid ").append(colour)
                .append(";padding:4px 10px;margin:4px 0;font-family:sans-serif;font-size:13px\">");
        sb.append("<div><b>Claim:</b> ").append(Html.escape(statement)).append("</div>");
        if (!measured.isEmpty()) {
            sb.append("<table style=\"margin:4px 0;border-collapse:collapse\">");
            for (String[] row : measured) {
                sb.append("<tr><td style=\"padding:0 12px 0 0;text-align:left\">").append(Html.escape(row[0]))
                        .append("</td><td style=\"text-align:right;font-family:monospace\">")
                        .append(Html.escape(row[1])).append("</td></tr>");
            }
            sb.append("</table>");
        }
        sb.append("<div><b style=\"color:").append(colour).append("\">")
                .append(verdict == null ? "no verdict" : Html.escape(verdict.label())).append("</b>");
        if (!because.isEmpty()) sb.append(": ").append(Html.escape(because));
        sb.append("</div></div>");
        return sb.toString();
    }

    private String toJson() {
        return Json.write(Json.obj(
                "id", id,
                "statement", statement,
                "verdict", verdict == null ? null : verdict.name(),
                "because", because,
                "values", values));
    }

    private static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 0.001 || a >= 1e7)) return String.format(Locale.ROOT, "%.3g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
