package dev.spindle.chart;

import dev.spindle.chart.Chart.Kind;
import dev.spindle.chart.Chart.Point;
import dev.spindle.chart.Chart.Series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.spindle.chart.Chart.DEFAULT_HEIGHT;
import static dev.spindle.chart.Chart.DEFAULT_WIDTH;

/** Assembles a {@link Chart} of kind {@link Kind#BAR}: the {@link Chart.BarBuilder} behind {@link Chart#bar(String)}. */
final class BarChartBuilder implements Chart.BarBuilder {
    private final String title;
    private String subtitle;
    private String xLabel = "variant";
    private String yLabel = "value";
    private String legendTitle;
    private String valueLabel = "median";
    private String spreadLabel = "min–max";
    private int width = DEFAULT_WIDTH;
    private int height = DEFAULT_HEIGHT;
    private final Set<String> categories = new LinkedHashSet<>();
    private final Map<String, List<Point>> bySeries = new LinkedHashMap<>();
    private Boolean grouped;
    private Boolean logScale;

    BarChartBuilder(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    @Override
    public BarChartBuilder xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public BarChartBuilder yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public BarChartBuilder subtitle(String subtitle) {
        this.subtitle = Objects.requireNonNull(subtitle);
        return this;
    }

    @Override
    public BarChartBuilder legendTitle(String title) {
        this.legendTitle = Objects.requireNonNull(title);
        return this;
    }

    @Override
    public BarChartBuilder valueLabel(String label) {
        this.valueLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public BarChartBuilder spreadLabel(String label) {
        this.spreadLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public BarChartBuilder size(int width, int height) {
        if (width < 100 || height < 100) throw new IllegalArgumentException("size must be at least 100 x 100");
        this.width = width;
        this.height = height;
        return this;
    }

    @Override
    public BarChartBuilder logScale(boolean log) {
        this.logScale = log;
        return this;
    }

    @Override
    public BarChartBuilder bar(String label, double value) {
        return add(false, label, valueLabel, value, Double.NaN, Double.NaN);
    }

    @Override
    public BarChartBuilder bar(String label, double value, double low, double high) {
        return add(false, label, valueLabel, value, low, high);
    }

    @Override
    public BarChartBuilder bar(String group, String series, double value, double low, double high) {
        return add(true, group, series, value, low, high);
    }

    @Override
    public BarChartBuilder bar(String group, String series, double value) {
        return add(true, group, series, value, Double.NaN, Double.NaN);
    }

    private BarChartBuilder add(boolean inGroup, String category, String seriesName, double value,
            double low, double high) {
        Objects.requireNonNull(category, "label");
        Objects.requireNonNull(seriesName, "series");
        if (grouped != null && grouped != inGroup) {
            throw new IllegalStateException("use either bar(label, ...) or bar(group, series, ...) in one chart");
        }
        grouped = inGroup;
        categories.add(category);
        bySeries.computeIfAbsent(inGroup ? seriesName : "", k -> new ArrayList<>())
                .add(new Point(category, 0, value, low, high));
        return this;
    }

    @Override
    public Chart build() {
        boolean g = grouped != null && grouped;
        List<String> cats = new ArrayList<>(categories);
        List<Series> list = new ArrayList<>();
        for (Map.Entry<String, List<Point>> e : bySeries.entrySet()) {
            List<Point> pts = new ArrayList<>();
            for (Point p : e.getValue()) {
                pts.add(new Point(p.category(), cats.indexOf(p.category()), p.y(), p.low(), p.high()));
            }
            list.add(new Series(g ? e.getKey() : valueLabel, pts));
        }
        String legend = legendTitle != null ? legendTitle : g ? "variant" : xLabel;
        boolean positive = allPositive(list);
        if (Boolean.TRUE.equals(logScale) && !positive) {
            throw new IllegalArgumentException("logScale(true) needs every bar value and whisker end above zero");
        }
        Chart linear = new Chart(Kind.BAR, title, subtitle, xLabel, yLabel, legend, valueLabel, spreadLabel,
                cats, list, g, false, false, 0, width, height);
        boolean log = logScale != null ? logScale
                : positive && linear.maxValue() > Chart.LOG_SPAN * linear.minPositive();
        if (!log) return linear;
        return new Chart(Kind.BAR, title, subtitle, xLabel, yLabel, legend, valueLabel, spreadLabel,
                cats, list, g, false, true, 0, width, height);
    }

    private static boolean allPositive(List<Series> list) {
        boolean any = false;
        for (Series s : list) {
            for (Point p : s.points()) {
                if (Double.isNaN(p.y())) continue;
                if (!(p.y() > 0) || p.hasSpread() && !(p.low() > 0)) return false;
                any = true;
            }
        }
        return any;
    }
}
