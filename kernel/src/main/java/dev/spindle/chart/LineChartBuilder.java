package dev.spindle.chart;

import dev.spindle.chart.Chart.Kind;
import dev.spindle.chart.Chart.Point;
import dev.spindle.chart.Chart.Series;
import dev.spindle.timing.TimeFormat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.spindle.chart.Chart.DEFAULT_HEIGHT;
import static dev.spindle.chart.Chart.DEFAULT_WIDTH;

/**
 * Assembles a {@link Chart} of kind {@link Kind#LINE} or {@link Kind#SPEEDUP}: the
 * {@link Chart.LineBuilder} behind {@link Chart#line(String)} and {@link Chart#speedup(String)}.
 */
final class LineChartBuilder implements Chart.LineBuilder {
    private final Kind kind;
    private final String title;
    private String subtitle;
    private String xLabel;
    private String yLabel;
    private String legendTitle = "variant";
    private String valueLabel = "median";
    private String spreadLabel = "min–max";
    private boolean logX;
    private double idealBase = 1;
    private int width = DEFAULT_WIDTH;
    private int height = DEFAULT_HEIGHT;
    private final Map<String, List<Point>> bySeries = new LinkedHashMap<>();

    LineChartBuilder(Kind kind, String title) {
        this.kind = kind;
        this.title = Objects.requireNonNull(title, "title");
    }

    @Override
    public LineChartBuilder xLabel(String label) {
        this.xLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public LineChartBuilder yLabel(String label) {
        this.yLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public LineChartBuilder subtitle(String subtitle) {
        this.subtitle = Objects.requireNonNull(subtitle);
        return this;
    }

    @Override
    public LineChartBuilder legendTitle(String title) {
        this.legendTitle = Objects.requireNonNull(title);
        return this;
    }

    @Override
    public LineChartBuilder valueLabel(String label) {
        this.valueLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public LineChartBuilder spreadLabel(String label) {
        this.spreadLabel = Objects.requireNonNull(label);
        return this;
    }

    @Override
    public LineChartBuilder logX(boolean log) {
        this.logX = log;
        return this;
    }

    @Override
    public LineChartBuilder ideal(double x0) {
        if (x0 < 0 || Double.isNaN(x0)) throw new IllegalArgumentException("x0 must be >= 0");
        this.idealBase = x0;
        return this;
    }

    @Override
    public LineChartBuilder size(int width, int height) {
        if (width < 100 || height < 100) throw new IllegalArgumentException("size must be at least 100 x 100");
        this.width = width;
        this.height = height;
        return this;
    }

    @Override
    public LineChartBuilder point(String series, double x, double y) {
        return point(series, x, y, Double.NaN, Double.NaN);
    }

    @Override
    public LineChartBuilder point(String series, double x, double y, double low, double high) {
        Objects.requireNonNull(series, "series");
        if (Double.isNaN(x) || Double.isInfinite(x)) throw new IllegalArgumentException("x must be finite");
        bySeries.computeIfAbsent(series, k -> new ArrayList<>())
                .add(new Point(TimeFormat.significant(x, 6), x, y, low, high));
        return this;
    }

    @Override
    public Chart build() {
        List<Series> list = new ArrayList<>();
        boolean positive = true;
        for (Map.Entry<String, List<Point>> e : bySeries.entrySet()) {
            List<Point> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Double.compare(a.x(), b.x()));
            for (Point p : pts) positive &= p.x() > 0;
            list.add(new Series(e.getKey(), pts));
        }
        if (logX && !positive) throw new IllegalStateException("a logarithmic x axis needs x > 0");
        return new Chart(kind, title, subtitle, xLabel, yLabel, legendTitle, valueLabel, spreadLabel,
                Collections.emptyList(), list, true, logX, false, kind == Kind.SPEEDUP ? idealBase : 0,
                width, height);
    }
}
