package dev.spindle.chart;

import dev.spindle.timing.TimeFormat;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.spindle.chart.SvgStyle.styleAxis;

/**
 * Axes of the SVG charts: the value axis with about six round gridlines and locale-free labels,
 * and the x axis of line charts, whose ticks sit at the data's own x values.
 */
final class SvgAxes {
    private SvgAxes() {
    }

    static NumberAxis valueAxis(String label, double max) {
        NumberAxis y = new NumberAxis(label);
        // locale-free tick labels: the same chart must not differ between a German and a US JVM
        y.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
        y.setAutoRangeIncludesZero(true);
        y.setUpperMargin(0.08);
        if (max > 0 && !Double.isInfinite(max)) {
            // about six gridlines, as Vega-Lite draws: JFreeChart would pick the densest that fit
            double step = niceStep(max * 1.08, 6);
            y.setTickUnit(new NumberTickUnit(step, tickFormat(step)), false, false);
            y.setAutoTickUnitSelection(false, false);
        }
        styleAxis(y);
        return y;
    }

    /**
     * A base-10 log value axis from the power of ten at or below {@code min} to the one at or
     * above {@code max}, with a gridline at each power and plain-number labels (1, 10, 100, not
     * 10^2). Bars start at its lower end, which stands in for zero.
     */
    static LogAxis logValueAxis(String label, double min, double max) {
        LogAxis y = new PlainLogAxis(label);
        y.setBase(10);
        double lo = logFloor(min);
        double hi = Math.pow(10, Math.ceil(Math.log10(max * 1.05)));
        y.setRange(lo, hi);
        y.setAutoRange(false);
        y.setTickUnit(new NumberTickUnit(1), false, false);
        y.setAutoTickUnitSelection(false, false);
        y.setMinorTickCount(0);
        y.setNumberFormatOverride(new DecimalFormat("#,##0.#########", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        styleAxis(y);
        return y;
    }

    /**
     * Where a log axis starts: a power of ten at least a factor 3 below the smallest value, so
     * that the shortest bar still stands out from the axis.
     */
    static double logFloor(double min) {
        return Math.pow(10, Math.floor(Math.log10(min / 3)));
    }

    /**
     * A log axis whose labels are plain strings: JFreeChart's own are attributed strings (for
     * superscripts), which JFreeSVG can only draw as glyph outlines, not as text.
     */
    static final class PlainLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        PlainLogAxis(String label) {
            super(label);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List out = new ArrayList();
            NumberFormat f = getNumberFormatOverride();
            for (Object o : super.refreshTicks(g2, state, dataArea, edge)) {
                ValueTick t = (ValueTick) o;
                if (t.getTickType() != TickType.MAJOR) continue;
                out.add(new NumberTick(TickType.MAJOR, t.getValue(), f.format(t.getValue()),
                        t.getTextAnchor(), t.getRotationAnchor(), t.getAngle()));
            }
            return out;
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, near {@code span / count}. */
    static double niceStep(double span, int count) {
        double raw = span / count;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    private static NumberFormat tickFormat(double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        if (step * Math.pow(10, decimals) % 1 != 0) decimals++; // 2.5, 0.25
        DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f;
    }

    static double plotX(double x, boolean log) {
        return log ? Math.log(x) / Math.log(2) : x;
    }

    /**
     * An x axis whose ticks sit at the data's own x values (1, 2, 4, 8 workers), labelled with
     * those values; on a log axis the plot works in log2 space and the labels undo it.
     */
    static final class TicksAtValuesAxis extends NumberAxis {
        private static final long serialVersionUID = 1L;
        private final List<Double> values;
        private final boolean log;

        TicksAtValuesAxis(String label, List<Double> values, boolean log) {
            super(label);
            this.values = values;
            this.log = log;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            boolean integers = values.stream().allMatch(v -> v == Math.rint(v));
            if (!log && !(integers && values.size() <= 16)) return super.refreshTicks(g2, state, dataArea, edge);
            int step = Math.max(1, (values.size() + 11) / 12);
            List ticks = new ArrayList();
            for (int i = 0; i < values.size(); i += step) {
                double v = values.get(i);
                ticks.add(new NumberTick(plotX(v, log), TimeFormat.significant(v, 4),
                        TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0));
            }
            return ticks;
        }
    }
}
