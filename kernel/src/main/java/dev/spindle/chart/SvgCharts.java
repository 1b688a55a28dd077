package dev.spindle.chart;

import dev.spindle.timing.TimeFormat;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SVG for charts, drawn by JFreeChart onto JFreeSVG's {@code Graphics2D}. Text stays text (no
 * glyph outlines, no embedded fonts), coordinates are rounded to 0.1 px, and the ids that
 * JFreeSVG would base on {@code System.nanoTime()} are derived from the chart's data instead, so
 * the same chart gives the same bytes while two different charts inlined in one HTML page never
 * share an id.
 */
final class SvgCharts {
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);
    private static final Color AXIS = new Color(0x88, 0x88, 0x88);
    private static final Color GRID = new Color(0xe5, 0xe5, 0xe5);
    private static final Color FRAME = new Color(0xcc, 0xcc, 0xcc);
    private static final Color WHISKER = new Color(0x33, 0x33, 0x33);
    private static final String FONT = "SansSerif";

    static {
        // The kernel has no display; AWT must not try to open one. Only effective before AWT's
        // first use, which is why it runs when this class is first touched.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        // JFreeChart draws rotated text (the y axis title) as a TextLayout by default, which
        // JFreeSVG can only record as glyph outlines: kilobytes of paths, and unselectable text.
        // This copy of JFreeChart is relocated and ours alone, so the global switch is safe.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private SvgCharts() {
    }

    /** The charts side by side in one SVG. */
    static String render(List<Chart> charts) {
        int width = 0;
        int height = 0;
        for (Chart c : charts) {
            width += c.width();
            height = Math.max(height, c.height());
        }
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(idPrefix(charts));
        g.setGeomDoubleConverter(SvgCharts::geom);
        g.setTransformDoubleConverter(SvgCharts::transform);
        // JFreeChart's stroke-control hint would add shape-rendering to every element
        g.setCheckStrokeControlHint(false);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (Chart c : charts) {
            JFreeChart jf = c.kind() == Chart.Kind.BAR ? barChart(c) : lineChart(c);
            jf.draw(g, new Rectangle2D.Double(x, 0, c.width(), height));
            x += c.width();
        }
        return compact(g.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null), width, height);
    }

    private static final Pattern STYLE = Pattern.compile("style='([^']*)'");
    private static final Pattern RGB = Pattern.compile("rgb\\((\\d+),(\\d+),(\\d+)\\)");
    private static final Pattern WRAPPED_TEXT = Pattern.compile("<g>(<text[^>]*>[^<]*</text>)</g>");

    /**
     * Shrinks JFreeSVG's verbose output without changing what it draws: drops default-valued
     * style properties, writes colours as #rrggbb, unwraps lone text elements and removes the
     * clip path that only clips to the whole image. Attribute values are delimited by {@code '}
     * and text content is XML-escaped, so the patterns only ever match markup.
     */
    static String compact(String svg, int width, int height) {
        Matcher m = STYLE.matcher(svg);
        StringBuilder sb = new StringBuilder(svg.length());
        while (m.find()) {
            String st = m.group(1)
                    .replace("fill-opacity: 1.0; ", "")
                    .replace(";stroke-opacity:1.0", "")
                    .replace(": ", ":")
                    .replace("; ", ";")
                    .replace(".0;", ";");
            if (st.endsWith(";")) st = st.substring(0, st.length() - 1);
            Matcher c = RGB.matcher(st);
            StringBuilder cs = new StringBuilder();
            while (c.find()) {
                c.appendReplacement(cs, String.format(Locale.ROOT, "#%02x%02x%02x", Integer.parseInt(c.group(1)),
                        Integer.parseInt(c.group(2)), Integer.parseInt(c.group(3))));
            }
            c.appendTail(cs);
            m.appendReplacement(sb, Matcher.quoteReplacement("style='" + cs + "'"));
        }
        m.appendTail(sb);
        String out = WRAPPED_TEXT.matcher(sb).replaceAll("$1");
        String full = "<path d='M0,0L" + width + ",0L" + width + "," + height + "L0," + height + "L0,0Z'/>";
        Matcher clip = Pattern.compile("<clipPath id='([^']+)'>" + Pattern.quote(full) + "</clipPath>").matcher(out);
        if (clip.find()) {
            String id = clip.group(1);
            out = out.substring(0, clip.start()) + out.substring(clip.end());
            out = out.replace(" clip-path='url(#" + id + ")'", "");
            out = out.replace("<defs></defs>", "");
        }
        return out;
    }

    /** A prefix that depends only on the data: same chart, same ids; other chart, other ids. */
    private static String idPrefix(List<Chart> charts) {
        int h = 17;
        for (Chart c : charts) h = 31 * h + c.toVegaLite().hashCode();
        return "s" + Integer.toString(h & 0x7fffffff, 36) + "-";
    }

    private static String geom(double d) {
        return round(d, 1);
    }

    private static String transform(double d) {
        return round(d, 4);
    }

    private static String round(double d, int decimals) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e9) return Long.toString((long) d);
        String s = BigDecimal.valueOf(d).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    private static Color color(String hex) {
        return new Color(Integer.parseInt(hex.substring(1), 16));
    }

    private static Font font(int style, int size) {
        return new Font(FONT, style, size);
    }

    private static JFreeChart chart(Chart c, org.jfree.chart.plot.Plot plot) {
        JFreeChart jf = new JFreeChart(c.title(), font(Font.BOLD, 15), plot, true);
        jf.setBackgroundPaint(Color.WHITE);
        jf.setBorderVisible(false);
        jf.setPadding(new RectangleInsets(6, 8, 6, 12));
        jf.getTitle().setPaint(INK);
        jf.getTitle().setHorizontalAlignment(HorizontalAlignment.CENTER);
        if (!c.subtitle().isEmpty()) {
            TextTitle sub = new TextTitle(c.subtitle(), font(Font.PLAIN, 11));
            sub.setPaint(MUTED);
            sub.setPosition(RectangleEdge.TOP);
            jf.addSubtitle(sub);
        }
        LegendTitle legend = jf.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setItemFont(font(Font.PLAIN, 11));
        legend.setItemPaint(INK);
        return jf;
    }

    private static void styleAxis(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(font(Font.PLAIN, 12));
        axis.setLabelPaint(INK);
        axis.setTickLabelFont(font(Font.PLAIN, 11));
        axis.setTickLabelPaint(new Color(0x33, 0x33, 0x33));
        axis.setAxisLinePaint(AXIS);
        axis.setTickMarkPaint(AXIS);
    }

    private static NumberAxis valueAxis(String label, double max) {
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

    private static JFreeChart barChart(Chart c) {
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

        CategoryPlot plot = new CategoryPlot(ds, x, valueAxis(c.yLabel(), maxValue(c)), renderer);
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

    private static void stylePlot(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(FRAME);
        plot.setOutlineStroke(new BasicStroke(1f));
        plot.setInsets(new RectangleInsets(4, 4, 4, 4));
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

    private static JFreeChart lineChart(Chart c) {
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

    private static double plotX(double x, boolean log) {
        return log ? Math.log(x) / Math.log(2) : x;
    }

    /**
     * An x axis whose ticks sit at the data's own x values (1, 2, 4, 8 workers), labelled with
     * those values; on a log axis the plot works in log2 space and the labels undo it.
     */
    private static final class TicksAtValuesAxis extends NumberAxis {
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
