package dev.spindle.chart;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.spindle.output.MimeBundle;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {
    static final int MAX_SVG_BYTES = 40 * 1024;

    static Chart fourVariantBar() {
        return Chart.bar("CPU-bound work").yLabel("time (ms)")
                .bar("sequential", 1234.5678, 1200.12, 1301.7)
                .bar("threads", 640.25, 600.3, 690.9)
                .bar("processes", 702.4, 650.0, 760.0)
                .bar("virtual threads", 655.5, 630.2, 700.8)
                .build();
    }

    static Chart sweep() {
        Chart.LineBuilder b = Chart.line("Sum of squares").xLabel("workers").yLabel("time (ms)");
        String[] names = {"threads", "processes", "virtual threads"};
        for (int i = 0; i < names.length; i++) {
            for (int w : new int[] {1, 2, 4, 8}) {
                double t = 1234.5678 / Math.min(w, 2 + i * 0.7) * (1 + 0.05 * i);
                b.point(names[i], w, t, t * 0.93, t * 1.08);
            }
        }
        return b.build();
    }

    static Chart speedup() {
        Chart.LineBuilder b = Chart.speedup("Speed-up over sequential");
        String[] names = {"threads", "processes", "virtual threads"};
        for (int i = 0; i < names.length; i++) {
            for (int w : new int[] {1, 2, 4, 8}) b.point(names[i], w, Math.min(w, 2 + i * 0.7) / (1 + 0.05 * i));
        }
        return b.build();
    }

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void svgIsDeterministic() {
        for (java.util.function.Supplier<Chart> make : List.<java.util.function.Supplier<Chart>>of(
                ChartTest::fourVariantBar, ChartTest::sweep, ChartTest::speedup)) {
            String first = make.get().toSvg();
            Chart.warmUp(); // other drawing in between must not leak into the next chart
            String second = make.get().toSvg();
            assertEquals(first, second);
        }
        assertEquals(Figure.row(sweep(), speedup()).toSvg(), Figure.row(sweep(), speedup()).toSvg());
    }

    @Test
    void svgIdsComeFromTheDataNotTheClock() {
        String a = fourVariantBar().toSvg();
        String b = sweep().toSvg();
        Set<String> idsA = ids(a);
        Set<String> idsB = ids(b);
        assertFalse(idsA.isEmpty(), "the plot area is clipped, so there is at least one clip path");
        for (String id : idsA) assertTrue(id.matches("s[0-9a-z]+-(clip-\\d+|title|desc)"), id);
        Set<String> shared = new HashSet<>(idsA);
        shared.retainAll(idsB);
        assertTrue(shared.isEmpty(), "two charts inlined in one page must not share ids: " + shared);
        // nothing that looks like a timestamp (JFreeSVG's default prefix is "_" + System.nanoTime())
        assertFalse(Pattern.compile("\\d{10,}").matcher(a).find(), "long digit run in SVG");
    }

    private static Set<String> ids(String svg) {
        Set<String> ids = new HashSet<>();
        Matcher m = Pattern.compile("id='([^']+)'").matcher(svg);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    @Test
    void svgStaysSmall() {
        assertTrue(bytes(fourVariantBar().toSvg()) <= MAX_SVG_BYTES, "bar: " + bytes(fourVariantBar().toSvg()));
        assertTrue(bytes(sweep().toSvg()) <= MAX_SVG_BYTES, "sweep: " + bytes(sweep().toSvg()));
        assertTrue(bytes(speedup().toSvg()) <= MAX_SVG_BYTES, "speed-up: " + bytes(speedup().toSvg()));
    }

    @Test
    void svgIsWellFormedXmlWithTextAsText() throws Exception {
        for (Chart c : List.of(fourVariantBar(), sweep(), speedup())) {
            Document doc = parse(c.toSvg());
            assertEquals("svg", doc.getDocumentElement().getLocalName());
            assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
            assertTrue(doc.getDocumentElement().hasAttribute("viewBox"));
            String text = doc.getDocumentElement().getTextContent();
            assertTrue(text.contains(c.title()), "title as text");
            assertTrue(text.contains(c.yLabel()), "y axis label as text");
            assertTrue(text.contains(c.xLabel()), "x axis label as text");
            assertTrue(doc.getElementsByTagNameNS("*", "text").getLength() > 5);
        }
        Document doc = parse(fourVariantBar().toSvg());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("virtual threads"), "legend/category text");
        assertTrue(parse(speedup().toSvg()).getDocumentElement().getTextContent().contains("ideal (y = x)"));
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    @Test
    void svgHasItsOwnLightBackground() {
        String svg = fourVariantBar().toSvg();
        assertTrue(svg.matches("(?s)<svg[^>]*><title[^>]*>[^<]*</title><desc[^>]*>[^<]*</desc>(<defs>.*?</defs>)?<rect x='0' y='0' width='640' height='400' style='fill:#ffffff'/>.*"),
                svg.substring(0, 400));
    }

    @Test
    void vegaLiteIsAV5SpecWithTitlesAndColours() {
        JsonObject bar = JsonParser.parseString(fourVariantBar().toVegaLite()).getAsJsonObject();
        assertTrue(bar.get("$schema").getAsString().contains("vega-lite/v5"));
        assertEquals("CPU-bound work", bar.getAsJsonObject("title").get("text").getAsString());
        assertEquals("bars: median · whiskers: min–max", bar.getAsJsonObject("title").get("subtitle").getAsString());
        assertEquals("white", bar.get("background").getAsString());
        assertEquals("variant", bar.getAsJsonObject("encoding").getAsJsonObject("x").get("title").getAsString());
        JsonObject barLayer = bar.getAsJsonArray("layer").get(0).getAsJsonObject().getAsJsonObject("encoding");
        assertEquals("time (ms)", barLayer.getAsJsonObject("y").get("title").getAsString());
        JsonArray range = barLayer.getAsJsonObject("color").getAsJsonObject("scale").getAsJsonArray("range");
        assertEquals(4, range.size());
        assertEquals(4, bar.getAsJsonObject("data").getAsJsonArray("values").size());
        assertEquals(1301.7, bar.getAsJsonObject("data").getAsJsonArray("values").get(0).getAsJsonObject()
                .get("high").getAsDouble(), 1e-9);

        JsonObject line = JsonParser.parseString(sweep().toVegaLite()).getAsJsonObject();
        JsonObject enc = line.getAsJsonArray("layer").get(0).getAsJsonObject().getAsJsonObject("encoding");
        assertEquals("workers", enc.getAsJsonObject("x").get("title").getAsString());
        assertEquals("time (ms)", enc.getAsJsonObject("y").get("title").getAsString());
        assertEquals(12, line.getAsJsonArray("layer").get(0).getAsJsonObject().getAsJsonObject("data")
                .getAsJsonArray("values").size());

        JsonObject sp = JsonParser.parseString(speedup().toVegaLite()).getAsJsonObject();
        JsonArray layers = sp.getAsJsonArray("layer");
        JsonObject ideal = layers.get(layers.size() - 1).getAsJsonObject();
        assertTrue(ideal.getAsJsonObject("mark").has("strokeDash"));
        JsonElement firstIdeal = ideal.getAsJsonObject("data").getAsJsonArray("values").get(3);
        assertEquals(8, firstIdeal.getAsJsonObject().get("y").getAsDouble(), 1e-9);
        assertEquals("speed-up (×)", sp.getAsJsonArray("layer").get(0).getAsJsonObject().getAsJsonObject("encoding")
                .getAsJsonObject("y").get("title").getAsString());
    }

    @Test
    void groupedBarsAndRowsAreValidToo() throws Exception {
        Chart g = Chart.bar("Grouped").xLabel("workers").yLabel("time (s)")
                .bar("1", "threads", 1.0, 0.9, 1.1).bar("1", "processes", 1.2, 1.1, 1.3)
                .bar("2", "threads", 0.55, 0.5, 0.6).bar("2", "processes", 0.7, Double.NaN, Double.NaN)
                .build();
        assertTrue(g.grouped());
        JsonObject spec = JsonParser.parseString(g.toVegaLite()).getAsJsonObject();
        assertEquals("series", spec.getAsJsonObject("encoding").getAsJsonObject("xOffset").get("field").getAsString());
        parse(g.toSvg());
        Figure row = Figure.row(sweep(), speedup());
        JsonObject rs = JsonParser.parseString(row.toVegaLite()).getAsJsonObject();
        assertEquals(2, rs.getAsJsonArray("hconcat").size());
        assertTrue(rs.has("$schema"));
        parse(row.toSvg());
        assertTrue(row.toText().contains("Speed-up over sequential"));
    }

    @Test
    void textTableHasLabelsAndNumbers() {
        String t = fourVariantBar().toText();
        assertTrue(t.startsWith("CPU-bound work"), t);
        for (String s : List.of("variant", "time (ms)", "sequential", "threads", "processes", "virtual threads",
                "1235", "640", "1302")) {
            assertTrue(t.contains(s), s + " in\n" + t);
        }
        String l = sweep().toText();
        assertTrue(l.contains("workers") && l.contains("virtual threads"), l);
        assertEquals(2 + 1 + 12, l.split("\n").length, l);
    }

    @Test
    void mimeBundleHasAllRepresentations() {
        MimeBundle b = fourVariantBar().toMimeBundle();
        assertEquals(List.of("application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"),
                List.copyOf(b.data().keySet()));
        assertEquals(fourVariantBar().toText(), b.toString());
    }

    @Test
    void renderingRunsHeadless() throws Exception {
        // A fresh JVM that believes it has a display (DISPLAY set, java.awt.headless unset), as
        // a kernel started from a desktop session: drawing a chart must switch AWT to headless
        // on its own and still draw the title, axis titles and bars' labels as text.
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HeadlessRender.class.getName());
        pb.environment().put("DISPLAY", ":4242");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "render JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("headless=true\n"), out);
        String svg = out.substring(out.indexOf('\n') + 1).strip();
        assertEquals(fourVariantBar().toSvg(), svg, "same chart, same bytes in another JVM");
        String text = parse(svg).getDocumentElement().getTextContent();
        for (String s : List.of("CPU-bound work", "time (ms)", "variant", "sequential", "virtual threads")) {
            assertTrue(text.contains(s), s + " missing from " + text);
        }
    }

    /** Draws {@link #fourVariantBar()} in its own JVM; prints whether AWT ran headless, then the SVG. */
    static final class HeadlessRender {
        public static void main(String[] args) {
            if (System.getProperty("java.awt.headless") != null) throw new IllegalStateException("headless preset");
            String svg = fourVariantBar().toSvg();
            System.out.println("headless=" + java.awt.GraphicsEnvironment.isHeadless());
            System.out.println(svg);
        }
    }

    @Test
    void builderRejectsMixedBarsAndBadInput() {
        Chart.BarBuilder b = Chart.bar("x").bar("a", 1);
        assertThrows(IllegalStateException.class, () -> b.bar("g", "s", 1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Chart.line("x").point("s", Double.NaN, 1));
        assertThrows(IllegalStateException.class, () -> Chart.line("x").logX(true).point("s", 0, 1).build());
    }

    @Test
    void differentDataGivesDifferentBytes() {
        Chart a = Chart.bar("t").bar("a", 1).build();
        Chart b = Chart.bar("t").bar("a", 2).build();
        assertNotEquals(a.toSvg(), b.toSvg());
    }

    @Test
    void logAxisTicksAtTheSweepValues() throws Exception {
        Chart.LineBuilder b = Chart.line("wide").xLabel("workers").yLabel("time (s)").logX(true);
        for (int w : new int[] {1, 2, 4, 8, 16, 32, 64}) b.point("t", w, 1.0 / w);
        Chart c = b.build();
        String text = parse(c.toSvg()).getDocumentElement().getTextContent();
        assertTrue(text.contains("64") && text.contains("32"), text);
        JsonObject x = JsonParser.parseString(c.toVegaLite()).getAsJsonObject().getAsJsonArray("layer").get(0)
                .getAsJsonObject().getAsJsonObject("encoding").getAsJsonObject("x");
        assertEquals("log", x.getAsJsonObject("scale").get("type").getAsString());
    }
}
