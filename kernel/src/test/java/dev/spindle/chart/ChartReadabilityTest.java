package dev.spindle.chart;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log value axes, screen-reader text, rows that fit a notebook, and the PNG in the bundle. */
class ChartReadabilityTest {
    /** Notebook 04's chart: CPython 1113 ms next to Java's 9.5 ms and 0.016 ms. */
    static Chart.BarBuilder wideSpan() {
        return Chart.bar("x = 1 + 1, a hundred million times").xLabel("where the loop runs").yLabel("time (ms)")
                .bar("CPython", 1113).bar("Java, notebook cell", 9.4841).bar("Java, child JVM", 0.0164);
    }

    static JsonObject vega(Figure f) {
        return JsonParser.parseString(f.toVegaLite()).getAsJsonObject();
    }

    static JsonObject barY(Chart c) {
        return vega(c).getAsJsonArray("layer").get(0).getAsJsonObject()
                .getAsJsonObject("encoding").getAsJsonObject("y");
    }

    @Test
    void barsSpanningMoreThanAHundredfoldGetALogAxisByThemselves() throws Exception {
        Chart c = wideSpan().build();
        assertTrue(c.logValue());
        JsonObject y = barY(c);
        assertEquals("time (ms), log scale", y.get("title").getAsString());
        assertEquals("log", y.getAsJsonObject("scale").get("type").getAsString());
        JsonArray domain = y.getAsJsonObject("scale").getAsJsonArray("domain");
        assertEquals(0.001, domain.get(0).getAsDouble(), 1e-12);
        assertEquals(10000, domain.get(1).getAsDouble(), 1e-9);
        // the bars start at the bottom of the domain, not at zero (which a log scale cannot show)
        JsonObject y2 = vega(c).getAsJsonArray("layer").get(0).getAsJsonObject()
                .getAsJsonObject("encoding").getAsJsonObject("y2");
        assertEquals(0.001, y2.get("datum").getAsDouble(), 1e-12);

        String text = ChartTest.parse(c.toSvg()).getDocumentElement().getTextContent();
        assertTrue(text.contains("time (ms), log scale"), "SVG axis title says log");
        for (String tick : new String[] {"0.01", "0.1", "1", "100", "10,000"}) assertTrue(text.contains(tick), tick + " tick");
    }

    @Test
    void theSmallestBarIsVisibleOnTheLogAxis() throws Exception {
        // in the PNG, the column under "Java, child JVM" (the third of three bars) has bar colour
        Chart c = wideSpan().build();
        BufferedImage img = png(c);
        if (System.getProperty("chart.dump") != null) {
            ImageIO.write(img, "png", new java.io.File(System.getProperty("chart.dump"), "log.png"));
            ImageIO.write(png(wideSpan().logScale(false).build()), "png", new java.io.File(System.getProperty("chart.dump"), "linear.png"));
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("chart.dump"), "log.svg"), c.toSvg());
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("chart.dump"), "row.svg"),
                    Figure.row(ChartTest.sweep(), ChartTest.speedup()).toSvg());
        }
        String third = c.colors().get("Java, child JVM");
        int rgb = Integer.parseInt(third.substring(1), 16);
        int coloured = 0;
        int x = (int) (img.getWidth() * 0.845);
        for (int dx = -15; dx <= 15; dx++) {
            for (int y = 0; y < img.getHeight(); y++) {
                if ((img.getRGB(x + dx, y) & 0xffffff) == rgb) coloured++;
            }
        }
        assertTrue(coloured > 31 * 20, "the 0.0164 ms bar is at least 20 px tall: " + coloured + " px of its colour");
        Chart linear = wideSpan().logScale(false).build();
        BufferedImage flat = png(linear);
        int flatColoured = 0;
        for (int dx = -15; dx <= 15; dx++) {
            for (int y = 0; y < flat.getHeight(); y++) {
                if ((flat.getRGB(x + dx, y) & 0xffffff) == rgb) flatColoured++;
            }
        }
        assertTrue(flatColoured < coloured / 4, "on a linear axis the same bar all but vanishes: " + flatColoured);
    }

    @Test
    void theBuilderForcesTheLogAxisOnOrOff() {
        assertFalse(wideSpan().logScale(false).build().logValue());
        Chart narrow = Chart.bar("t").yLabel("ms").bar("a", 10).bar("b", 900).build();
        assertFalse(narrow.logValue(), "90x is not enough");
        assertTrue(Chart.bar("t").yLabel("ms").bar("a", 10).bar("b", 900).logScale(true).build().logValue());
        assertTrue(Chart.bar("t").bar("a", 1, 0.5, 2).bar("b", 500, 450, 600).build().logValue(), "whisker lows count");
        assertFalse(Chart.bar("t").bar("a", 0).bar("b", 500).build().logValue(), "a zero bar keeps it linear");
        assertFalse(Chart.bar("t").bar("a", -1).bar("b", 500).build().logValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Chart.bar("t").bar("a", 0).bar("b", 5).logScale(true).build());
        assertTrue(e.getMessage().contains("above zero"), e.getMessage());
        assertEquals("ms", barY(narrow).get("title").getAsString());
        assertFalse(barY(narrow).has("scale"));
    }

    @Test
    void svgIsAnImageWithTitleAndDescriptionForScreenReaders() throws Exception {
        Chart c = wideSpan().build();
        Document doc = ChartTest.parse(c.toSvg());
        Element root = doc.getDocumentElement();
        assertEquals("img", root.getAttribute("role"));
        Element title = (Element) root.getElementsByTagNameNS("*", "title").item(0);
        Element desc = (Element) root.getElementsByTagNameNS("*", "desc").item(0);
        assertNotNull(title);
        assertNotNull(desc);
        assertEquals(title.getAttribute("id"), root.getAttribute("aria-labelledby"));
        assertEquals(desc.getAttribute("id"), root.getAttribute("aria-describedby"));
        assertEquals("title", root.getFirstChild().getLocalName(), "the title comes first");
        assertEquals("x = 1 + 1, a hundred million times", title.getTextContent());
        assertEquals("Bar chart of time (ms) by where the loop runs, log scale: 3 bars, from 0.0164"
                + " (Java, child JVM) to 1113 (CPython).", desc.getTextContent());
        assertEquals(desc.getTextContent(), vega(c).get("description").getAsString());

        Document line = ChartTest.parse(ChartTest.sweep().toSvg());
        String d = line.getDocumentElement().getElementsByTagNameNS("*", "desc").item(0).getTextContent();
        assertTrue(d.startsWith("Line chart of time (ms) against workers: 3 lines over workers 1 to 8, from "), d);
        // markup in a title is escaped, never parsed
        Document odd = ChartTest.parse(Chart.bar("a < b & c").bar("x", 1).build().toSvg());
        assertEquals("a < b & c", odd.getElementsByTagNameNS("*", "title").item(0).getTextContent());
    }

    @Test
    void sideBySideChartsFitAThousandPixelNotebook() throws Exception {
        Figure row = Figure.row(ChartTest.sweep(), ChartTest.speedup());
        Element root = ChartTest.parse(row.toSvg()).getDocumentElement();
        assertEquals("0 0 1280 400", root.getAttribute("viewBox"), "the drawing keeps its coordinates");
        assertEquals("900", root.getAttribute("width"));
        assertEquals("281", root.getAttribute("height"), "aspect ratio kept: 400 * 900 / 1280");
        JsonArray parts = vega(row).getAsJsonArray("hconcat");
        int total = 0;
        for (int i = 0; i < parts.size(); i++) total += parts.get(i).getAsJsonObject().get("width").getAsInt() + 160;
        assertTrue(total <= SvgCharts.MAX_DISPLAY_WIDTH, "Vega-Lite row width with axes and legend: " + total);
        assertTrue(vega(row).get("description").getAsString().startsWith("2 charts side by side."));
        // one chart is left as drawn
        Element single = ChartTest.parse(ChartTest.sweep().toSvg()).getDocumentElement();
        assertEquals("640", single.getAttribute("width"));
        assertEquals(480, vega(ChartTest.sweep()).get("width").getAsInt());
    }

    @Test
    void bundleCarriesAPngOfTheChartSoJupyterLabAddsNone() throws Exception {
        for (Figure f : new Figure[] {ChartTest.fourVariantBar(), ChartTest.sweep(),
                Figure.row(ChartTest.sweep(), ChartTest.speedup())}) {
            Map<String, String> data = f.toMimeBundle().data();
            byte[] bytes = Base64.getDecoder().decode(data.get("image/png"));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, "a PNG");
            Element root = ChartTest.parse(data.get("image/svg+xml")).getDocumentElement();
            assertEquals(root.getAttribute("viewBox"), "0 0 " + img.getWidth() + " " + img.getHeight());
            System.out.printf("PNG %dx%d: %d bytes (%d base64), SVG %d bytes%n", img.getWidth(), img.getHeight(),
                    bytes.length, data.get("image/png").length(), data.get("image/svg+xml").length());
            assertTrue(data.get("image/png").length() < 48 * 1024, "PNG stays small: " + data.get("image/png").length());
            assertEquals(data.get("image/png"), f.toMimeBundle().data().get("image/png"), "same chart, same PNG");
        }
    }

    static BufferedImage png(Chart c) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(c.toPngBase64())));
    }
}
