package dev.spindle.chart;

import dev.spindle.chart.Chart.Kind;
import dev.spindle.chart.Chart.Point;
import dev.spindle.chart.Chart.Series;
import dev.spindle.timing.TimeFormat;

import java.util.ArrayList;
import java.util.List;

/** A chart as a plain-text table: its {@link Chart#toText()}, for terminals and text/plain. */
final class ChartText {
    private ChartText() {
    }

    static String table(Chart c) {
        String title = c.title(), subtitle = c.subtitle(), xLabel = c.xLabel(), yLabel = c.yLabel();
        String legendTitle = c.legendTitle(), spreadLabel = c.spreadLabel();
        Kind kind = c.kind();
        boolean grouped = c.grouped();
        List<Series> series = c.series();
        List<String> header = new ArrayList<>();
        boolean bars = kind == Kind.BAR;
        boolean manySeries = !bars || grouped;
        boolean spread = c.hasSpread();
        String seriesHeader = legendTitle.isEmpty() ? "series" : legendTitle;
        header.add(bars ? xLabel : seriesHeader);
        if (bars && manySeries) header.add(seriesHeader);
        if (!bars) header.add(xLabel);
        header.add(yLabel);
        if (spread) {
            header.add(spreadLabel + " low");
            header.add(spreadLabel + " high");
        }
        List<Double> all = new ArrayList<>();
        for (Series s : series) {
            for (Point p : s.points()) {
                all.add(p.y());
                if (p.hasSpread()) {
                    all.add(p.low());
                    all.add(p.high());
                }
            }
        }
        int dec = TimeFormat.decimalsFor(all, 3);
        String heading = title + (subtitle.isEmpty() ? "" : " (" + subtitle + ")");
        TextTable t = new TextTable(heading, header);
        for (Series s : series) {
            for (Point p : s.points()) {
                List<String> row = new ArrayList<>();
                if (bars) {
                    row.add(p.category());
                    if (manySeries) row.add(s.name());
                } else {
                    row.add(s.name());
                    row.add(p.category());
                }
                row.add(TimeFormat.fixed(p.y(), dec));
                if (spread) {
                    row.add(p.hasSpread() ? TimeFormat.fixed(p.low(), dec) : "-");
                    row.add(p.hasSpread() ? TimeFormat.fixed(p.high(), dec) : "-");
                }
                t.row(row);
            }
        }
        return t.toString();
    }
}
