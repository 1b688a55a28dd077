package dev.spindle.chart;

import dev.spindle.timing.TimeFormat;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable chart: bars with spread, lines for parameter sweeps, or speed-up against an ideal
 * line. Build one with {@link #bar(String)}, {@link #line(String)} or {@link #speedup(String)};
 * show it by leaving it as a cell's last expression, or with {@link #display()}.
 * <pre>{@code
 * Chart.bar("CPU-bound work").yLabel("time (ms)")
 *      .bar("sequential", 812, 790, 840)     // value, low, high
 *      .bar("threads", 231, 220, 260)
 *      .build()
 *
 * Chart.line("Sum of 10^8 longs").xLabel("workers").yLabel("time (ms)")
 *      .point("threads", 1, 800).point("threads", 2, 410).point("threads", 4, 230)
 *      .build()
 * }</pre>
 */
public final class Chart implements Figure {
    /** The kinds of chart. */
    public enum Kind {
        /** Bars (median or any value) with optional whiskers, by category, optionally grouped. */
        BAR,
        /** Lines with markers over a numeric x, one per series (e.g. time vs workers). */
        LINE,
        /** Like {@link #LINE}, for speed-up, with a dashed "ideal" reference line. */
        SPEEDUP
    }

    /**
     * One value: its category (bars) or x (lines), the value, and the spread around it.
     *
     * @param category the bar's category, or the x value as text for lines
     * @param x the x value (lines), or the category's index (bars)
     * @param y the value drawn: bar height or line point
     * @param low the lower end of the whisker, or NaN for none
     * @param high the upper end of the whisker, or NaN for none
     */
    public record Point(String category, double x, double y, double low, double high) {
        /** True when this point has a whisker. */
        public boolean hasSpread() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    /**
     * A named series: one colour and one legend entry.
     *
     * @param name the legend label
     * @param points the values, in the order given
     */
    public record Series(String name, List<Point> points) {
        /** Copies {@code points}, so the series stays immutable. */
        public Series {
            Objects.requireNonNull(name, "name");
            points = List.copyOf(points);
        }
    }

    /** Colours chosen to read on white and to stay apart for common colour blindness. */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#59a14f", "#e15759",
            "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7", "#bab0ac", "#edc948");
    static final String IDEAL_COLOR = "#666666";
    static final int DEFAULT_WIDTH = 640;
    static final int DEFAULT_HEIGHT = 400;

    private final Kind kind;
    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final String legendTitle;
    private final String valueLabel;
    private final String spreadLabel;
    private final List<String> categories;
    private final List<Series> series;
    private final boolean grouped;
    private final boolean logX;
    private final boolean logValue;
    private final double idealBase;
    private final int width;
    private final int height;

    private volatile String vegaLite;
    private volatile String svg;
    private volatile String text;
    private volatile String png;

    /** Called by the builders; they check their input. */
    Chart(Kind kind, String title, String subtitle, String xLabel, String yLabel,
            String legendTitle, String valueLabel, String spreadLabel, List<String> categories,
            List<Series> series, boolean grouped, boolean logX, boolean logValue, double idealBase, int width, int height) {
        this.kind = kind;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.legendTitle = legendTitle;
        this.valueLabel = valueLabel;
        this.spreadLabel = spreadLabel;
        this.categories = List.copyOf(categories);
        this.series = List.copyOf(series);
        this.grouped = grouped;
        this.logX = logX;
        this.logValue = logValue;
        this.idealBase = idealBase;
        this.width = width;
        this.height = height;
        this.subtitle = subtitle != null ? subtitle : defaultSubtitle();
    }

    /** Starts a bar chart: one bar per label, or groups of bars with {@code bar(group, series, ...)}. */
    public static BarBuilder bar(String title) {
        return new BarChartBuilder(title);
    }

    /** Starts a line chart with markers: x numeric (e.g. workers), one line per series. */
    public static LineBuilder line(String title) {
        return new LineChartBuilder(Kind.LINE, title).xLabel("x").yLabel("y");
    }

    /**
     * Starts a speed-up chart: speed-up (×) against workers, one line per series, and a dashed
     * ideal line y = x (change it with {@link LineBuilder#ideal(double)}).
     */
    public static LineBuilder speedup(String title) {
        return new LineChartBuilder(Kind.SPEEDUP, title).xLabel("workers").yLabel("speed-up (×)");
    }

    /** The kind of chart. */
    public Kind kind() {
        return kind;
    }

    /** The title at the top. */
    public String title() {
        return title;
    }

    /** The line under the title (what the whiskers mean, by default), or "" for none. */
    public String subtitle() {
        return subtitle;
    }

    /** The x axis title, with units where it has any. */
    public String xLabel() {
        return xLabel;
    }

    /** The y axis title, with units, e.g. {@code "time (ms)"}. */
    public String yLabel() {
        return yLabel;
    }

    /** The series, in legend order (a bar chart without groups has one). */
    public List<Series> series() {
        return series;
    }

    /** The bar categories in order along the x axis; empty for line charts. */
    public List<String> categories() {
        return categories;
    }

    /** True for a bar chart whose bars come in groups (one colour per series). */
    public boolean grouped() {
        return grouped;
    }

    /** True when the x axis is logarithmic (base 2). */
    public boolean logX() {
        return logX;
    }

    /**
     * True when the value (y) axis is logarithmic (base 10): bar charts switch to it by
     * themselves when their values span more than {@value #LOG_SPAN}×, so that the short bars
     * stay visible; {@link BarBuilder#logScale(boolean)} forces it on or off.
     */
    public boolean logValue() {
        return logValue;
    }

    /** The value axis title as drawn: the y label, marked when the axis is logarithmic. */
    String valueAxisTitle() {
        return logValue ? yLabel + ", log scale" : yLabel;
    }

    /** The smallest positive value or whisker end, or NaN when there is none. */
    double minPositive() {
        double min = Double.NaN;
        for (Series s : series) {
            for (Point p : s.points()) {
                for (double v : new double[] {p.y(), p.low()}) {
                    if (v > 0 && !(min <= v)) min = v;
                }
            }
        }
        return min;
    }

    /** The largest value or whisker end (0 when there is none). */
    double maxValue() {
        double max = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (!Double.isNaN(p.y())) max = Math.max(max, p.y());
                if (p.hasSpread()) max = Math.max(max, p.high());
            }
        }
        return max;
    }

    /** Bars spanning more than this factor get a log value axis unless told otherwise. */
    static final int LOG_SPAN = 100;

    String legendTitle() {
        return legendTitle;
    }

    String valueLabel() {
        return valueLabel;
    }

    String spreadLabel() {
        return spreadLabel;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Whether any point has a whisker. */
    boolean hasSpread() {
        for (Series s : series) {
            for (Point p : s.points()) {
                if (p.hasSpread()) return true;
            }
        }
        return false;
    }

    /** True for a speed-up chart that draws the ideal line. */
    boolean showsIdeal() {
        return kind == Kind.SPEEDUP && idealBase > 0;
    }

    /** The ideal line's legend label. */
    String idealName() {
        return idealBase == 1 ? "ideal (y = x)" : "ideal (y = x / " + TimeFormat.significant(idealBase, 4) + ")";
    }

    /** The ideal line's points: y = x / base at every x of the data. */
    List<Point> idealPoints() {
        Set<Double> xs = new TreeSet<>();
        for (Series s : series) {
            for (Point p : s.points()) xs.add(p.x());
        }
        List<Point> out = new ArrayList<>();
        for (double x : xs) out.add(new Point(TimeFormat.significant(x, 6), x, x / idealBase, Double.NaN, Double.NaN));
        return out;
    }

    /** Legend entries in order: categories for ungrouped bars, else series (plus the ideal line). */
    List<String> legendNames() {
        List<String> names = new ArrayList<>();
        if (kind == Kind.BAR && !grouped) {
            names.addAll(categories);
        } else {
            for (Series s : series) names.add(s.name());
            if (showsIdeal()) names.add(idealName());
        }
        return names;
    }

    /** Colour of each legend entry, assigned in order so the same order gives the same colours. */
    Map<String, String> colors() {
        Map<String, String> m = new LinkedHashMap<>();
        int i = 0;
        for (String n : legendNames()) {
            if (showsIdeal() && n.equals(idealName()) && !m.containsKey(n)) {
                m.put(n, IDEAL_COLOR);
            } else if (!m.containsKey(n)) {
                m.put(n, PALETTE.get(i++ % PALETTE.size()));
            }
        }
        return m;
    }

    /** Sorted distinct x values of the data. */
    List<Double> xValues() {
        Set<Double> xs = new TreeSet<>();
        for (Series s : series) {
            for (Point p : s.points()) xs.add(p.x());
        }
        return new ArrayList<>(xs);
    }

    private String defaultSubtitle() {
        if (!hasSpread()) return "";
        String what = kind == Kind.BAR ? "bars" : "points";
        return what + ": " + valueLabel + " · whiskers: " + spreadLabel;
    }

    @Override
    public String toVegaLite() {
        String s = vegaLite;
        if (s == null) vegaLite = s = VegaLite.spec(this);
        return s;
    }

    @Override
    public String toSvg() {
        String s = svg;
        if (s == null) svg = s = SvgCharts.render(List.of(this));
        return s;
    }

    /** The PNG, base64-encoded, drawn once and kept. */
    String toPngBase64() {
        String s = png;
        if (s == null) png = s = ChartPng.base64(List.of(this));
        return s;
    }

    @Override
    public String toText() {
        String s = text;
        if (s == null) text = s = ChartText.table(this);
        return s;
    }

    /** The plain-text table: {@link #toText()}. */
    @Override
    public String toString() {
        return toText();
    }

    /**
     * Renders a small chart of each kind once, so that the first chart a user draws does not pay
     * for loading the chart library and fonts; meant for a background thread at kernel start or
     * for a class-data-sharing training run.
     */
    public static void warmUp() {
        Chart b = bar("warm-up").yLabel("time (ms)").bar("a", 1, 0.5, 1.5).bar("b", 2).build();
        Chart l = speedup("warm-up").point("a", 1, 1, 0.9, 1.1).point("a", 2, 1.8).build();
        b.toMimeBundle();
        l.toMimeBundle();
    }

    /** Builds a {@link Chart} of kind {@link Kind#BAR}; every setter returns this builder. */
    public interface BarBuilder {
        /** The x axis title (default {@code "variant"}). */
        BarBuilder xLabel(String label);

        /** The y axis title with its unit, e.g. {@code "time (ms)"}. */
        BarBuilder yLabel(String label);

        /** The line under the title; by default it says what bars and whiskers show. */
        BarBuilder subtitle(String subtitle);

        /** The legend's title (default: the x label for plain bars, {@code "variant"} for groups). */
        BarBuilder legendTitle(String title);

        /** What a bar's height is, for the subtitle and table (default {@code "median"}). */
        BarBuilder valueLabel(String label);

        /** What a whisker spans, for the subtitle and table (default {@code "min–max"}). */
        BarBuilder spreadLabel(String label);

        /** The SVG size in pixels (default 640 × 400). */
        BarBuilder size(int width, int height);

        /**
         * Forces a logarithmic value axis on ({@code true}) or off ({@code false}). By default
         * the axis turns logarithmic by itself when all values are positive and the largest is
         * more than 100 times the smallest (a 2 ms bar next to a 900 ms one would otherwise be
         * invisible); the axis title then ends in ", log scale". A log axis needs every value and
         * whisker end above zero.
         */
        BarBuilder logScale(boolean log);

        /** A bar without a whisker. */
        BarBuilder bar(String label, double value);

        /** A bar of height {@code value} with a whisker from {@code low} to {@code high}. */
        BarBuilder bar(String label, double value, double low, double high);

        /**
         * A bar in group {@code group} (the x axis category) for series {@code series} (its
         * colour and legend entry), with a whisker from {@code low} to {@code high} (NaN for none).
         */
        BarBuilder bar(String group, String series, double value, double low, double high);

        /** A bar in group {@code group} (the x axis category) for series {@code series}, no whisker. */
        BarBuilder bar(String group, String series, double value);

        /** The chart. */
        Chart build();
    }

    /** Builds a {@link Chart} of kind {@link Kind#LINE} or {@link Kind#SPEEDUP}. */
    public interface LineBuilder {
        /** The x axis title with its unit, e.g. {@code "workers"} or {@code "size (MB)"}. */
        LineBuilder xLabel(String label);

        /** The y axis title with its unit, e.g. {@code "time (ms)"}. */
        LineBuilder yLabel(String label);

        /** The line under the title; by default it says what points and whiskers show. */
        LineBuilder subtitle(String subtitle);

        /** The legend's title (default {@code "variant"}). */
        LineBuilder legendTitle(String title);

        /** What a point's value is, for the subtitle and table (default {@code "median"}). */
        LineBuilder valueLabel(String label);

        /** What a whisker spans, for the subtitle and table (default {@code "min–max"}). */
        LineBuilder spreadLabel(String label);

        /** A logarithmic (base 2) x axis, for sweeps such as 1, 2, 4, ... 64 workers. */
        LineBuilder logX(boolean log);

        /**
         * For speed-up charts: the ideal line is y = x / {@code x0} (default x0 = 1, i.e. the
         * speed-up is relative to one worker); 0 hides the ideal line.
         */
        LineBuilder ideal(double x0);

        /** The SVG size in pixels (default 640 × 400). */
        LineBuilder size(int width, int height);

        /** A point of series {@code series} at ({@code x}, {@code y}). */
        LineBuilder point(String series, double x, double y);

        /** A point with a whisker from {@code low} to {@code high} (NaN for none). */
        LineBuilder point(String series, double x, double y, double low, double high);

        /** The chart; each series' points are sorted by x so lines never zig-zag back. */
        Chart build();
    }
}
