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
    /** Cores of other programs' noise that an idle machine shows; less than this is not "busy". */
    static final double BUSY_MARGIN = 0.25;

    private Verdict verdict;
    private String because = "";
    private int coresNeeded;
    private final List<Load> loads = new ArrayList<>();

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

    /**
     * Says that the claim can only be judged with {@code cores} cores free, and how busy the
     * machine was during the measurements behind it. If any of them had fewer cores free (other
     * programs' CPU, from {@link Load}), the verdict is {@link Verdict#INCONCLUSIVE} whatever the
     * numbers say; the box shows the load and what the numbers alone would have said.
     */
    public Claim needsCores(int cores, Load... during) {
        if (cores < 1) throw new IllegalArgumentException("cores must be at least 1: " + cores);
        coresNeeded = Math.max(coresNeeded, cores);
        for (Load l : during) loads.add(Objects.requireNonNull(l, "load"));
        return this;
    }

    /** True when a measurement behind this claim had fewer free cores than it needs. */
    public boolean machineWasBusy() {
        if (coresNeeded > Machine.cores()) return true;
        for (Load l : loads) {
            if (l.known() && l.freeCores() < coresNeeded - BUSY_MARGIN) return true;
        }
        return false;
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

    /**
     * The verdict: {@link Verdict#INCONCLUSIVE} when {@linkplain #machineWasBusy() the machine was
     * busy}, else the one given; null if none was given yet.
     */
    public Verdict verdict() {
        if (verdict != null && machineWasBusy()) return Verdict.INCONCLUSIVE;
        return verdict;
    }

    /** What the numbers alone say, busy machine or not (null if no verdict was given yet). */
    public Verdict measuredVerdict() {
        return verdict;
    }

    /** Why, in one sentence: for an inconclusive claim, the load that made it so. */
    public String because() {
        if (verdict == null || !machineWasBusy()) return because;
        Load worst = worstLoad();
        String load = coresNeeded > Machine.cores()
                ? String.format(Locale.ROOT, "this machine has %d core%s and the claim needs %d",
                Machine.cores(), Machine.cores() == 1 ? "" : "s", coresNeeded)
                : String.format(Locale.ROOT, "other programs kept %.2f of %d cores busy while it was measured,"
                        + " leaving %.2f where %d are needed", worst.othersCores(), Math.max(worst.cores(), worst.hostCpus()),
                worst.freeCores(),
                coresNeeded);
        return load + "; the numbers alone would say \"" + verdict.label() + "\". Rerun on a quieter machine";
    }

    private Load worstLoad() {
        Load worst = null;
        for (Load l : loads) {
            if (l.known() && (worst == null || l.freeCores() < worst.freeCores())) worst = l;
        }
        return worst == null ? Load.unknown(0) : worst;
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
        if (coresNeeded > 0) sb.append("  ").append(loadRow()[0]).append(": ").append(loadRow()[1]).append('\n');
        Verdict shown = verdict();
        sb.append("Verdict: ").append(shown == null ? "not decided" : shown.label());
        String why = because();
        if (!why.isEmpty()) sb.append(" (").append(why).append(')');
        return sb.toString();
    }

    private String toHtml() {
        Verdict shown = verdict();
        String why = because();
        String colour = shown == null ? "#57606a" : shown.colour();
        StringBuilder sb = new StringBuilder();
        sb.append("<div style=\"border-left:4px solid ").append(colour)
                .append(";padding:4px 10px;margin:4px 0;font-family:sans-serif;font-size:13px\">");
        sb.append("<div><b>Claim:</b> ").append(Html.escape(statement)).append("</div>");
        List<String[]> rows = new ArrayList<>(measured);
        if (coresNeeded > 0) rows.add(loadRow());
        if (!rows.isEmpty()) {
            sb.append("<table style=\"margin:4px 0;border-collapse:collapse\">");
            for (String[] row : rows) {
                sb.append("<tr><td style=\"padding:0 12px 0 0;text-align:left\">").append(Html.escape(row[0]))
                        .append("</td><td style=\"text-align:right;font-family:monospace\">")
                        .append(Html.escape(row[1])).append("</td></tr>");
            }
            sb.append("</table>");
        }
        sb.append("<div><b style=\"color:").append(colour).append("\">")
                .append(shown == null ? "no verdict" : Html.escape(shown.label())).append("</b>");
        if (!why.isEmpty()) sb.append(": ").append(Html.escape(why));
        sb.append("</div></div>");
        return sb.toString();
    }

    private String toJson() {
        return Json.write(Json.obj(
                "id", id,
                "statement", statement,
                "verdict", verdict() == null ? null : verdict().name(),
                "measured_verdict", verdict == null ? null : verdict.name(),
                "because", because(),
                "load", coresNeeded == 0 ? null : loadJson(),
                "values", values));
    }

    /** The row that shows how busy the machine was, e.g. "free cores while measured: 1.96 of 2 (needs 2)". */
    private String[] loadRow() {
        Load worst = worstLoad();
        String value = worst.known()
                ? String.format(Locale.ROOT, "%.2f of %d (needs %d)", worst.freeCores(), worst.cores(), coresNeeded)
                : "unknown (needs " + coresNeeded + ")";
        return new String[]{"free cores while measured", value};
    }

    private Map<String, Object> loadJson() {
        Load worst = worstLoad();
        return Json.obj(
                "cores_needed", coresNeeded,
                "cores", Machine.cores(),
                "free_cores", worst.known() ? worst.freeCores() : null,
                "others_cores", worst.known() ? worst.othersCores() : null,
                "busy", machineWasBusy());
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
