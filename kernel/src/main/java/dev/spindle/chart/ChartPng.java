package dev.spindle.chart;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PNG of a figure, drawn by the same JFreeChart code as the SVG. It is in every chart's bundle
 * because JupyterLab's Vega-Lite renderer writes a PNG snapshot of the chart into the output
 * whenever the bundle has none: the notebook then turns "modified" as soon as it is opened,
 * and saving it adds a browser-made PNG of some 35 KB per chart. With our own PNG present it
 * leaves the output alone. Consumers that prefer a raster (nbconvert's LaTeX route, viewers
 * without Vega-Lite) get a real picture of the chart, not a placeholder.
 *
 * <p>To keep notebooks small the image is drawn at 1x and stored with a palette of at most 256
 * colours (a chart is mostly flat fills and text; the rare anti-aliasing shades map to the
 * nearest common colour), which makes it about a third of a full-colour PNG.
 */
final class ChartPng {
    private static final int COLORS = 256;

    private ChartPng() {
    }

    /** The PNG, base64-encoded as Jupyter's {@code image/png} wants it. */
    static String base64(List<Chart> charts) {
        int width = SvgCharts.width(charts);
        int height = SvgCharts.height(charts);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            SvgCharts.draw(g, charts, width, height);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            ImageIO.write(indexed(img), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The image with the 256 most frequent colours; every other pixel takes the nearest of them. */
    static BufferedImage indexed(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] px = rgb.getRGB(0, 0, w, h, null, 0, w);
        Map<Integer, int[]> counts = new HashMap<>();
        for (int p : px) counts.computeIfAbsent(p & 0xffffff, k -> new int[1])[0]++;
        List<Map.Entry<Integer, int[]>> byCount = new ArrayList<>(counts.entrySet());
        // most frequent first; ties by colour value, so the same chart gives the same bytes
        byCount.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : Integer.compare(a.getKey(), b.getKey()));
        int n = Math.min(COLORS, byCount.size());
        byte[] r = new byte[n];
        byte[] gr = new byte[n];
        byte[] b = new byte[n];
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int c = byCount.get(i).getKey();
            r[i] = (byte) (c >> 16);
            gr[i] = (byte) (c >> 8);
            b[i] = (byte) c;
            index.put(c, i);
        }
        IndexColorModel cm = new IndexColorModel(8, n, r, gr, b);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        byte[] data = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int c = px[i] & 0xffffff;
            Integer k = index.get(c);
            if (k == null) {
                k = nearest(c, r, gr, b);
                index.put(c, k);
            }
            data[i] = (byte) (int) k;
        }
        return out;
    }

    private static int nearest(int c, byte[] r, byte[] g, byte[] b) {
        int cr = (c >> 16) & 0xff;
        int cg = (c >> 8) & 0xff;
        int cb = c & 0xff;
        int best = 0;
        int bestD = Integer.MAX_VALUE;
        for (int i = 0; i < r.length; i++) {
            int dr = cr - (r[i] & 0xff);
            int dg = cg - (g[i] & 0xff);
            int db = cb - (b[i] & 0xff);
            int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }
}
