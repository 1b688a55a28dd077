package dev.spindle.chart;


import java.util.List;

/** Charts side by side: one Vega-Lite {@code hconcat}, one SVG, their tables one after another. */
final class ChartRow implements Figure {
    private final List<Chart> charts;

    ChartRow(List<Chart> charts) {
        if (charts.isEmpty()) throw new IllegalArgumentException("a row needs at least one chart");
        this.charts = List.copyOf(charts);
    }

    List<Chart> charts() {
        return charts;
    }

    @Override
    public String toVegaLite() {
        return charts.size() == 1 ? charts.get(0).toVegaLite() : VegaLite.row(charts);
    }

    @Override
    public String toSvg() {
        return charts.size() == 1 ? charts.get(0).toSvg() : SvgCharts.render(charts);
    }

    @Override
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Chart c : charts) {
            if (sb.length() > 0) sb.append("\n\n");
            sb.append(c.toText());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
