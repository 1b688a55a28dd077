package dev.spindle.output;

import dev.spindle.chart.Chart;
import dev.spindle.chart.Figure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DisplayServiceTest {
    private final DisplayService service = new DisplayService(null, null, "test");

    @Test
    void aFigureRowRendersItsCharts() {
        // Figure.row(..) returns a non-public class: its toMimeBundle must still be found.
        Object row = Figure.row(Chart.bar("a").yLabel("y (s)").bar("x", 1).build(),
                Chart.bar("b").yLabel("y (s)").bar("y", 2).build());
        var data = service.render(row).data();
        assertTrue(data.containsKey("image/svg+xml"), data.keySet().toString());
        assertTrue(data.containsKey("text/plain"));
    }

    @Test
    void anyValueWithToMimeBundleRendersItself() {
        var data = service.render(new Object() {
            public MimeBundle toMimeBundle() {
                return Display.html("<b>hi</b>");
            }
        }).data();
        assertEquals("<b>hi</b>", data.get("text/html"));
    }
}
