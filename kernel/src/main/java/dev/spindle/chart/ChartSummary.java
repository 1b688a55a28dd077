package dev.spindle.chart;

import dev.spindle.timing.TimeFormat;

import java.util.List;

/**
 * One-line descriptions of charts for screen readers: the SVG's {@code <desc>} and the
 * Vega-Lite {@code description} say what is plotted against what and the range of the data,
 * so that a reader who cannot see the bars still gets the gist (the table has the numbers).
 */
final class ChartSummary {
    private ChartSummary() {
    }

    /** "Bar chart of time (ms) by variant, log scale: 3 bars from 0.0164 (Java, child JVM) to 1113 (CPython)." */
    static String describe(Chart c) {
        StringBuilder sb = new StringBuilder();
        if (c.kind() == Chart.Kind.BAR) {
            sb.append("Bar chart of ").append(c.yLabel()).append(" by ").append(c.xLabel());
        } else {
            sb.append(c.kind() == Chart.Kind.SPEEDUP ? "Speed-up chart of " : "Line chart of ")
                    .append(c.yLabel()).append(" against ").append(c.xLabel());
        }
        if (c.logValue()) sb.append(", log scale");
        sb.append(": ");
        Chart.Point min = null;
        Chart.Point max = null;
        String minName = "";
        String maxName = "";
        int count = 0;
        for (Chart.Series s : c.series()) {
            for (Chart.Point p : s.points()) {
                if (Double.isNaN(p.y())) continue;
                count++;
                if (min == null || p.y() < min.y()) {
                    min = p;
                    minName = name(c, s, p);
                }
                if (max == null || p.y() > max.y()) {
                    max = p;
                    maxName = name(c, s, p);
                }
            }
        }
        if (c.kind() == Chart.Kind.BAR) {
            sb.append(count).append(count == 1 ? " bar" : " bars");
        } else {
            List<Double> xs = c.xValues();
            sb.append(c.series().size()).append(c.series().size() == 1 ? " line" : " lines");
            if (!xs.isEmpty()) {
                sb.append(" over ").append(c.xLabel()).append(' ').append(num(xs.get(0)))
                        .append(" to ").append(num(xs.get(xs.size() - 1)));
            }
        }
        if (min != null) {
            sb.append(", from ").append(num(min.y())).append(" (").append(minName).append(") to ")
                    .append(num(max.y())).append(" (").append(maxName).append(')');
        }
        return sb.append('.').toString();
    }

    /** The description of charts side by side: each chart's title and description. */
    static String describe(List<Chart> charts) {
        if (charts.size() == 1) return describe(charts.get(0));
        StringBuilder sb = new StringBuilder(charts.size() + " charts side by side.");
        for (Chart c : charts) sb.append(' ').append(c.title()).append(": ").append(describe(c));
        return sb.toString();
    }

    /** The title(s) as one line. */
    static String title(List<Chart> charts) {
        StringBuilder sb = new StringBuilder();
        for (Chart c : charts) {
            if (sb.length() > 0) sb.append(" | ");
            sb.append(c.title());
            if (!c.subtitle().isEmpty()) sb.append(" (").append(c.subtitle()).append(')');
        }
        return sb.toString();
    }

    private static String name(Chart c, Chart.Series s, Chart.Point p) {
        if (c.kind() == Chart.Kind.BAR) return c.grouped() ? p.category() + ", " + s.name() : p.category();
        return s.name() + " at " + num(p.x());
    }

    private static String num(double v) {
        return TimeFormat.significant(v, 4);
    }
}
