package dev.spindle.chart;

import dev.spindle.output.MimeBundle;

import java.util.LinkedHashMap;
import java.util.Map;

/** The forms every chart and result table is shown in: Vega-Lite, SVG, PNG and plain text. */
public final class ChartBundles {
    private ChartBundles() {
    }

    /**
     * JupyterLab draws the Vega-Lite; nbconvert's HTML (and PDF through it) keeps the SVG; the
     * PNG is there so that JupyterLab does not add one of its own to the notebook (which would
     * mark a notebook modified when it is merely opened) and for raster-only viewers; a
     * terminal or a text-only frontend gets {@code text}.
     */
    public static MimeBundle of(Figure figure, String text) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("application/vnd.vegalite.v5+json", figure.toVegaLite());
        m.put("image/svg+xml", figure.toSvg());
        String png = png(figure);
        if (png != null) m.put("image/png", png);
        m.put("text/plain", text);
        return new MimeBundle(m);
    }

    private static String png(Figure figure) {
        if (figure instanceof Chart c) return c.toPngBase64();
        if (figure instanceof ChartRow r) return ChartPng.base64(r.charts());
        return null; // a figure of the user's own: we cannot draw it
    }
}
