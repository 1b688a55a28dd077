package dev.spindle.chart;

import dev.spindle.output.MimeBundle;

import java.util.LinkedHashMap;
import java.util.Map;

/** The three forms every chart and result table is shown in: Vega-Lite, SVG and plain text. */
public final class ChartBundles {
    private ChartBundles() {
    }

    /**
     * JupyterLab draws the Vega-Lite; nbconvert's HTML and PDF keep the SVG; a terminal or a
     * text-only frontend gets the table.
     */
    public static MimeBundle of(String vegaLite, String svg, String text) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("application/vnd.vegalite.v5+json", vegaLite);
        m.put("image/svg+xml", svg);
        m.put("text/plain", text);
        return new MimeBundle(m);
    }
}
