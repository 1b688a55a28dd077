package dev.spindle.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
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

    /**
     * The widest a figure is shown: a 1,000 px wide notebook leaves about this much for an
     * output once the prompt column and padding are taken. Wider rows are scaled down as a
     * whole (their width and height attributes; the viewBox keeps the drawing's coordinates).
     */
    static final int MAX_DISPLAY_WIDTH = 900;

    /** The charts side by side in one SVG, with a title and description for screen readers. */
    static String render(List<Chart> charts) {
        int width = width(charts);
        int height = height(charts);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(idPrefix(charts));
        g.setGeomDoubleConverter(SvgCharts::geom);
        g.setTransformDoubleConverter(SvgCharts::transform);
        // JFreeChart's stroke-control hint would add shape-rendering to every element
        g.setCheckStrokeControlHint(false);
        draw(g, charts, width, height);
        String svg = compact(g.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null), width, height);
        return accessible(displaySize(svg, width, height), idPrefix(charts), ChartSummary.title(charts),
                ChartSummary.describe(charts));
    }

    static int width(List<Chart> charts) {
        int width = 0;
        for (Chart c : charts) width += c.width();
        return width;
    }

    static int height(List<Chart> charts) {
        int height = 0;
        for (Chart c : charts) height = Math.max(height, c.height());
        return height;
    }

    /** Draws the charts left to right on a white background, on any Graphics2D (SVG or raster). */
    static void draw(Graphics2D g, List<Chart> charts, int width, int height) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (Chart c : charts) {
            JFreeChart jf = c.kind() == Chart.Kind.BAR ? SvgPlots.barChart(c) : SvgPlots.lineChart(c);
            jf.draw(g, new Rectangle2D.Double(x, 0, c.width(), height));
            x += c.width();
        }
    }

    /** The scale that fits {@code width} into {@link #MAX_DISPLAY_WIDTH}; 1 when it fits. */
    static double fitScale(int width) {
        return width > MAX_DISPLAY_WIDTH ? (double) MAX_DISPLAY_WIDTH / width : 1.0;
    }

    /** Scales the root's width and height attributes to fit; the viewBox stays as drawn. */
    static String displaySize(String svg, int width, int height) {
        double f = fitScale(width);
        if (f == 1.0) return svg;
        String head = "width='" + width + "' height='" + height + "'";
        int at = svg.indexOf(head);
        if (at < 0 || at > svg.indexOf('>')) return svg;
        return svg.substring(0, at) + "width='" + Math.round(width * f) + "' height='" + Math.round(height * f) + "'"
                + svg.substring(at + head.length());
    }

    /**
     * Marks the root as an image (role="img") labelled by a {@code <title>} (the chart titles)
     * and described by a {@code <desc>} (axes and a one-line summary of the data), which screen
     * readers announce; browsers also show the title as a tooltip.
     */
    static String accessible(String svg, String idPrefix, String title, String desc) {
        int end = svg.indexOf('>');
        if (!svg.startsWith("<svg") || end < 0) return svg;
        String titleId = idPrefix + "title";
        String descId = idPrefix + "desc";
        return svg.substring(0, end) + " role='img' aria-labelledby='" + titleId + "' aria-describedby='" + descId + "'>"
                + "<title id='" + titleId + "'>" + xml(title) + "</title>"
                + "<desc id='" + descId + "'>" + xml(desc) + "</desc>"
                + svg.substring(end + 1);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
    static String idPrefix(List<Chart> charts) {
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
}
