package dev.spindle.chart;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.Color;
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
            JFreeChart jf = c.kind() == Chart.Kind.BAR ? SvgPlots.barChart(c) : SvgPlots.lineChart(c);
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
}
