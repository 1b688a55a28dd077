package dev.spindle.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.spindle.chart.SvgAxes.TicksAtValuesAxis;
import static dev.spindle.chart.SvgAxes.plotX;
import static dev.spindle.chart.SvgAxes.valueAxis;
import static dev.spindle.chart.SvgStyle.GRID;
import static dev.spindle.chart.SvgStyle.WHISKER;
import static dev.spindle.chart.SvgStyle.chart;
import static dev.spindle.chart.SvgStyle.color;
import static dev.spindle.chart.SvgStyle.styleAxis;
import static dev.spindle.chart.SvgStyle.stylePlot;

/**
 * The plots of the SVG charts, as JFreeChart draws them: bars with whiskers (optionally grouped)
 * and lines with markers, whiskers and the ideal line of speed-up charts.
 */
final class SvgPlots {
    private SvgPlots() {
    }

    /** The largest value or whisker end of the chart (and of its ideal line). */
    private static double maxValue(Chart c) {
        double max = 0;
        for (Chart.Series s : c.series()) {
            for (Chart.Point p : s.points()) {
                if (!Double.isNaN(p.y())) max = Math.max(max, p.y());
                if (p.hasSpread()) max = Math.max(max, p.high());
            }
        }
        if (c.showsIdeal()) {
            for (Chart.Point p : c.idealPoints()) max = Math.max(max, p.y());
        }
        return max;
    }

    // ---------------------------------------------------------------- bars

    static JFreeChart barChart(Chart c) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        List<Chart.Series> series = c.series();
        int rows = series.size();
        int cols = c.categories().size();
        double[][] lows = new double[rows][cols];
        double[][] highs = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(lows[r], Double.NaN);
            java.util.Arrays.fill(highs[r], Double.NaN);
        }
        // every (series, category) cell is registered so columns keep the categories' order
        for (Chart.Series s : series) {
            for (String cat : c.categories()) ds.addValue(null, s.name(), cat);
        }
        for (int r = 0; r < rows; r++) {
            for (Chart.Point p : series.get(r).points()) {
                int col = (int) p.x();
                ds.setValue(p.y(), series.get(r).name(), p.category());
                lows[r][col] = p.low();
                highs[r][col] = p.high();
            }
        }
        Map<String, String> colors = c.colors();
        SpreadBarRenderer renderer = new SpreadBarRenderer(lows, highs, c.grouped() ? null : colors, c.categories());
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.06);
        renderer.setMaximumBarWidth(0.2);
        renderer.setDefaultLegendShape(new Rectangle2D.Double(-5, -5, 10, 10));
        if (c.grouped()) {
            for (int r = 0; r < rows; r++) renderer.setSeriesPaint(r, color(colors.get(series.get(r).name())));
        }

        CategoryAxis x = new CategoryAxis(c.xLabel());
        styleAxis(x);
        x.setCategoryMargin(0.25);
        x.setLowerMargin(0.04);
        x.setUpperMargin(0.04);
        x.setMaximumCategoryLabelLines(2);

        ValueAxis y;
        if (c.logValue()) {
            // bars then grow from the axis' lower end: zero has no place on a log axis
            renderer.setIncludeBaseInRange(false);
            renderer.setBase(SvgAxes.logFloor(c.minPositive()));
            y = SvgAxes.logValueAxis(c.valueAxisTitle(), c.minPositive(), maxValue(c));
        } else {
            y = valueAxis(c.yLabel(), maxValue(c));
        }
        CategoryPlot plot = new CategoryPlot(ds, x, y, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        stylePlot(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        if (!c.grouped()) {
            LegendItemCollection items = new LegendItemCollection();
            for (Map.Entry<String, String> e : colors.entrySet()) {
                items.add(new LegendItem(e.getKey(), null, null, null,
                        new Rectangle2D.Double(-5, -5, 10, 10), color(e.getValue())));
            }
            plot.setFixedLegendItems(items);
        }
        return chart(c, plot);
    }

    /** Bars with whiskers from a low to a high value (JFreeChart's own only does mean ± sd). */
    private static final class SpreadBarRenderer extends BarRenderer {
        private static final long serialVersionUID = 1L;
        private final double[][] lows;
        private final double[][] highs;
        private final transient Map<String, String> categoryColors;
        private final List<String> categories;

        SpreadBarRenderer(double[][] lows, double[][] highs, Map<String, String> categoryColors,
                List<String> categories) {
            this.lows = lows;
            this.highs = highs;
            this.categoryColors = categoryColors;
            this.categories = categories;
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            if (categoryColors != null) return color(categoryColors.get(categories.get(column)));
            return super.getItemPaint(row, column);
        }

        @Override
        public Range findRangeBounds(CategoryDataset dataset) {
            Range r = super.findRangeBounds(dataset);
            double lo = r == null ? 0 : r.getLowerBound();
            double hi = r == null ? 0 : r.getUpperBound();
            for (double[] row : lows) for (double v : row) if (!Double.isNaN(v)) lo = Math.min(lo, v);
            for (double[] row : highs) for (double v : row) if (!Double.isNaN(v)) hi = Math.max(hi, v);
            return r == null && lo == 0 && hi == 0 ? null : new Range(lo, hi);
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
                CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis,
                CategoryDataset dataset, int row, int column, int pass) {
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
            int visibleRow = state.getVisibleSeriesIndex(row);
            double low = lows[row][column];
            double high = highs[row][column];
            if (visibleRow < 0 || Double.isNaN(low) || Double.isNaN(high) || dataset.getValue(row, column) == null) {
                return;
            }
            double x0 = calculateBarW0(plot, PlotOrientation.VERTICAL, dataArea, domainAxis, state, visibleRow, column);
            double cx = x0 + state.getBarWidth() / 2;
            RectangleEdge edge = plot.getRangeAxisEdge();
            double yl = rangeAxis.valueToJava2D(low, dataArea, edge);
            double yh = rangeAxis.valueToJava2D(high, dataArea, edge);
            double cap = Math.min(6, state.getBarWidth() / 3);
            g2.setPaint(WHISKER);
            g2.setStroke(new BasicStroke(1.5f));
            g2.draw(new Line2D.Double(cx, yl, cx, yh));
            g2.draw(new Line2D.Double(cx - cap, yl, cx + cap, yl));
            g2.draw(new Line2D.Double(cx - cap, yh, cx + cap, yh));
        }
    }

    // ---------------------------------------------------------------- lines

    static JFreeChart lineChart(Chart c) {
        boolean log = c.logX();
        Map<String, String> colors = c.colors();
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        for (Chart.Series s : c.series()) {
            YIntervalSeries ys = new YIntervalSeries(s.name(), false, true);
            for (Chart.Point p : s.points()) {
                double lo = p.hasSpread() ? p.low() : p.y();
                double hi = p.hasSpread() ? p.high() : p.y();
                ys.add(plotX(p.x(), log), p.y(), lo, hi);
            }
            ds.addSeries(ys);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(c.hasSpread());
        renderer.setCapLength(8);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultShapesFilled(true);
        renderer.setUseFillPaint(false);
        renderer.setDrawOutlines(false);
        Shape dot = new Ellipse2D.Double(-3.5, -3.5, 7, 7);
        for (int i = 0; i < c.series().size(); i++) {
            renderer.setSeriesPaint(i, color(colors.get(c.series().get(i).name())));
            renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(i, dot);
        }

        NumberAxis x = new TicksAtValuesAxis(c.xLabel(), c.xValues(), log);
        styleAxis(x);
        x.setAutoRangeIncludesZero(false);
        x.setLowerMargin(0.04);
        x.setUpperMargin(0.04);
        x.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));

        XYPlot plot = new XYPlot(ds, x, valueAxis(c.yLabel(), maxValue(c)), renderer);
        stylePlot(plot);
        plot.setDomainGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));

        if (c.showsIdeal()) {
            XYSeriesCollection ideal = new XYSeriesCollection();
            XYSeries is = new XYSeries(c.idealName(), false, true);
            for (Chart.Point p : c.idealPoints()) is.add(plotX(p.x(), log), p.y());
            ideal.addSeries(is);
            XYLineAndShapeRenderer r2 = new XYLineAndShapeRenderer(true, false);
            r2.setSeriesPaint(0, color(Chart.IDEAL_COLOR));
            r2.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {6f, 4f}, 0f));
            r2.setDefaultLegendShape(new Rectangle2D.Double(-7, -1, 14, 2));
            plot.setDataset(1, ideal);
            plot.setRenderer(1, r2);
        }
        return chart(c, plot);
    }
}
