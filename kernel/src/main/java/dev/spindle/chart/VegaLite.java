package dev.spindle.chart;

import dev.spindle.output.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.spindle.output.Json.obj;

/** Vega-Lite v5 specs for {@link Chart}s, with explicit colours on a white background. */
final class VegaLite {
    static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
    private static final String INK = "#222222";
    private static final String MUTED = "#555555";
    private static final String WHISKER = "#333333";

    private VegaLite() {
    }

    static String spec(Chart c) {
        Map<String, Object> top = header();
        top.put("description", ChartSummary.describe(c));
        top.putAll(body(c, 1.0));
        return Json.write(top);
    }

    static String row(List<Chart> charts) {
        Map<String, Object> top = header();
        top.put("description", ChartSummary.describe(charts));
        // the same fit as the SVG: a row wider than a 1,000 px notebook shrinks as a whole
        double f = SvgCharts.fitScale(SvgCharts.width(charts));
        List<Object> parts = new ArrayList<>();
        for (Chart c : charts) parts.add(body(c, f));
        top.put("hconcat", parts);
        // each chart keeps its own colours and legend: the same name may mean a different thing
        top.put("resolve", obj("scale", obj("color", "independent"), "legend", obj("color", "independent")));
        return Json.write(top);
    }

    /**
     * A white background and dark ink everywhere, so the chart reads the same in light and dark
     * JupyterLab themes (a dark theme would otherwise draw dark text on its own dark panel).
     */
    private static Map<String, Object> header() {
        return obj("$schema", SCHEMA,
                "background", "white",
                "padding", 8,
                "config", obj(
                        "font", "sans-serif",
                        "title", obj("color", INK, "subtitleColor", MUTED, "fontSize", 15, "subtitleFontSize", 11),
                        "axis", obj("labelColor", "#333333", "titleColor", INK, "gridColor", "#e5e5e5",
                                "domainColor", "#888888", "tickColor", "#888888",
                                "labelFontSize", 11, "titleFontSize", 12),
                        "legend", obj("labelColor", "#333333", "titleColor", INK, "orient", "bottom",
                                "labelFontSize", 11, "titleFontSize", 11),
                        "view", obj("stroke", "#cccccc")));
    }

    private static Map<String, Object> body(Chart c, double f) {
        Map<String, Object> title = obj("text", c.title());
        if (!c.subtitle().isEmpty()) title.put("subtitle", c.subtitle());
        // Vega-Lite sizes the plot area, the SVG the whole image: leave room for axes and legend
        Map<String, Object> m = obj("title", title,
                "width", Math.max(100, (int) Math.round(c.width() * f) - 160),
                "height", Math.max(120, c.height() - 150));
        if (c.kind() == Chart.Kind.BAR) {
            bar(c, m);
        } else {
            line(c, m);
        }
        return m;
    }

    private static Map<String, Object> color(Chart c, String field) {
        Map<String, String> colors = c.colors();
        return obj("field", field, "type", "nominal", "title", c.legendTitle(),
                "scale", obj("domain", new ArrayList<>(colors.keySet()), "range", new ArrayList<>(colors.values())));
    }

    private static Map<String, Object> quantity(String field, String title) {
        return obj("field", field, "type", "quantitative", "title", title);
    }

    /** A bar chart's value encoding: linear from zero, or log (base 10) over whole powers of ten. */
    private static Map<String, Object> value(Chart c, String field) {
        Map<String, Object> q = quantity(field, c.valueAxisTitle());
        if (c.logValue()) q.put("scale", obj("type", "log", "domain", List.of(logLow(c), logHigh(c))));
        return q;
    }

    /** Where log bars start, as in the SVG: a power of ten below the smallest value (zero has no place). */
    private static Map<String, Object> base(Chart c) {
        return c.logValue() ? obj("datum", logLow(c)) : null;
    }

    private static double logLow(Chart c) {
        return SvgAxes.logFloor(c.minPositive());
    }

    private static double logHigh(Chart c) {
        return Math.pow(10, Math.ceil(Math.log10(c.maxValue() * 1.05)));
    }

    private static void bar(Chart c, Map<String, Object> m) {
        boolean spread = c.hasSpread();
        List<Object> values = new ArrayList<>();
        List<String> seriesNames = new ArrayList<>();
        for (Chart.Series s : c.series()) {
            seriesNames.add(s.name());
            for (Chart.Point p : s.points()) {
                Map<String, Object> row = obj("category", p.category(), "series", s.name(), "value", p.y());
                if (p.hasSpread()) {
                    row.put("low", p.low());
                    row.put("high", p.high());
                }
                values.add(row);
            }
        }
        m.put("data", obj("values", values));
        Map<String, Object> x = obj("field", "category", "type", "nominal", "title", c.xLabel(),
                "sort", c.categories(), "axis", obj("labelAngle", 0));
        Map<String, Object> offset = c.grouped() ? obj("field", "series", "sort", seriesNames) : null;
        m.put("encoding", obj("x", x, "xOffset", offset));

        List<Object> tooltip = new ArrayList<>();
        tooltip.add(obj("field", "category", "title", c.xLabel()));
        if (c.grouped()) tooltip.add(obj("field", "series", "title", c.legendTitle()));
        tooltip.add(obj("field", "value", "type", "quantitative", "title", c.valueLabel(), "format", ".4~g"));
        if (spread) {
            tooltip.add(obj("field", "low", "type", "quantitative", "title", c.spreadLabel() + " low", "format", ".4~g"));
            tooltip.add(obj("field", "high", "type", "quantitative", "title", c.spreadLabel() + " high", "format", ".4~g"));
        }
        List<Object> layers = new ArrayList<>();
        layers.add(obj("mark", obj("type", "bar"),
                "encoding", obj("y", value(c, "value"), "y2", base(c),
                        "color", color(c, c.grouped() ? "series" : "category"),
                        "tooltip", tooltip)));
        if (spread) {
            layers.add(obj("mark", obj("type", "rule", "color", WHISKER, "strokeWidth", 1.5),
                    "encoding", obj("y", value(c, "low"), "y2", obj("field", "high"))));
            for (String end : List.of("low", "high")) {
                layers.add(obj("mark", obj("type", "tick", "color", WHISKER, "thickness", 1.5, "size", 10),
                        "encoding", obj("y", value(c, end))));
            }
        }
        m.put("layer", layers);
    }

    private static void line(Chart c, Map<String, Object> m) {
        List<Object> values = new ArrayList<>();
        List<Object> spreadValues = new ArrayList<>();
        for (Chart.Series s : c.series()) {
            for (Chart.Point p : s.points()) {
                Map<String, Object> row = obj("series", s.name(), "x", p.x(), "y", p.y());
                if (p.hasSpread()) {
                    row.put("low", p.low());
                    row.put("high", p.high());
                    spreadValues.add(row);
                }
                values.add(row);
            }
        }
        List<Double> xs = c.xValues();
        boolean integers = xs.stream().allMatch(v -> v == Math.rint(v));
        Map<String, Object> axis = obj("labelAngle", 0);
        if (integers && xs.size() <= 16) {
            axis.put("values", xs);
            axis.put("format", "d");
        }
        Map<String, Object> scale = c.logX() ? obj("type", "log", "base", 2, "padding", 12) : obj("zero", false, "padding", 12);
        Map<String, Object> x = obj("field", "x", "type", "quantitative", "title", c.xLabel(),
                "scale", scale, "axis", axis);
        Map<String, Object> color = color(c, "series");

        List<Object> tooltip = new ArrayList<>();
        tooltip.add(obj("field", "series", "title", c.legendTitle()));
        tooltip.add(obj("field", "x", "type", "quantitative", "title", c.xLabel()));
        tooltip.add(obj("field", "y", "type", "quantitative", "title", c.yLabel(), "format", ".4~g"));
        if (!spreadValues.isEmpty()) {
            tooltip.add(obj("field", "low", "type", "quantitative", "title", c.spreadLabel() + " low", "format", ".4~g"));
            tooltip.add(obj("field", "high", "type", "quantitative", "title", c.spreadLabel() + " high", "format", ".4~g"));
        }
        List<Object> layers = new ArrayList<>();
        layers.add(obj("data", obj("values", values),
                "mark", obj("type", "line", "strokeWidth", 2, "point", obj("filled", true, "size", 45)),
                "encoding", obj("x", x, "y", quantity("y", c.yLabel()), "color", color, "tooltip", tooltip)));
        if (!spreadValues.isEmpty()) {
            layers.add(obj("data", obj("values", spreadValues),
                    "mark", obj("type", "rule", "strokeWidth", 1.5),
                    "encoding", obj("x", x, "y", quantity("low", c.yLabel()), "y2", obj("field", "high"),
                            "color", color)));
        }
        if (c.showsIdeal()) {
            List<Object> ideal = new ArrayList<>();
            for (Chart.Point p : c.idealPoints()) ideal.add(obj("series", c.idealName(), "x", p.x(), "y", p.y()));
            layers.add(obj("data", obj("values", ideal),
                    "mark", obj("type", "line", "strokeWidth", 1.5, "strokeDash", List.of(6, 4)),
                    "encoding", obj("x", x, "y", quantity("y", c.yLabel()), "color", color)));
        }
        m.put("layer", layers);
    }
}
