package dev.spindle.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

/**
 * The look shared by every SVG chart: ink colours, fonts, the frame with title, subtitle and
 * legend, and how plots and axes are styled.
 */
final class SvgStyle {
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);
    private static final Color AXIS = new Color(0x88, 0x88, 0x88);
    static final Color GRID = new Color(0xe5, 0xe5, 0xe5);
    private static final Color FRAME = new Color(0xcc, 0xcc, 0xcc);
    static final Color WHISKER = new Color(0x33, 0x33, 0x33);
    private static final String FONT = "SansSerif";

    private SvgStyle() {
    }

    static Color color(String hex) {
        return new Color(Integer.parseInt(hex.substring(1), 16));
    }

    private static Font font(int style, int size) {
        return new Font(FONT, style, size);
    }

    static JFreeChart chart(Chart c, org.jfree.chart.plot.Plot plot) {
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

    static void styleAxis(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(font(Font.PLAIN, 12));
        axis.setLabelPaint(INK);
        axis.setTickLabelFont(font(Font.PLAIN, 11));
        axis.setTickLabelPaint(new Color(0x33, 0x33, 0x33));
        axis.setAxisLinePaint(AXIS);
        axis.setTickMarkPaint(AXIS);
    }

    static void stylePlot(org.jfree.chart.plot.Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(FRAME);
        plot.setOutlineStroke(new BasicStroke(1f));
        plot.setInsets(new RectangleInsets(4, 4, 4, 4));
    }
}
