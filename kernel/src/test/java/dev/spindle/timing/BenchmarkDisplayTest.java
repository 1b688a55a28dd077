package dev.spindle.timing;

import com.google.gson.JsonParser;
import dev.spindle.output.CellContext;
import dev.spindle.output.CellContexts;
import dev.spindle.output.DisplayService;
import dev.spindle.output.RecordingPublisher;
import dev.spindle.output.RecordingPublisher.Sent;
import dev.spindle.output.StreamRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress display and final chart, through the kernel's real display service. */
class BenchmarkDisplayTest {
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final List<Sent> sent = publisher.sent;

    @AfterEach
    void uninstall() {
        DisplayService.uninstall();
        CellContexts.markKernelThread();
    }

    private void install() {
        StreamRouter streams = new StreamRouter(new RecordingPublisher(), new PrintStream(new ByteArrayOutputStream()));
        new DisplayService(publisher, streams, "0123456789abcdef").install();
        CellContexts.enterCell(new CellContext(1, false, new CellContext.OutputBudget(1 << 20)));
    }

    @Test
    void progressIsOneDisplayUpdatedInPlaceThenTheChart() {
        install();
        BenchmarkResult r = Benchmark.of("shown").warmup(1).repetitions(3)
                .variant("a", () -> TimeitTest.spin(60_000_000L))
                .variant("b", () -> TimeitTest.spin(30_000_000L))
                .run();
        assertEquals("display_data", sent.get(0).type());
        String id = sent.get(0).displayId();
        assertTrue(sent.get(0).data().data().get("text/html").contains("<progress"));
        for (Sent s : sent.subList(1, sent.size())) {
            assertEquals("update_display_data", s.type());
            assertEquals(id, s.displayId());
        }
        assertTrue(sent.size() >= 3, "some progress updates: " + sent.size());
        assertTrue(sent.size() <= 2 + 8 + 1, "throttled to ~10 per second: " + sent.size());
        var last = sent.get(sent.size() - 1).data().data();
        assertTrue(JsonParser.parseString(last.get("application/vnd.vegalite.v5+json")).isJsonObject(),
                "Vega-Lite is JSON (the protocol sends it as an object)");
        assertTrue(last.get("image/svg+xml").startsWith("<svg"));
        assertEquals(r.table(), last.get("text/plain"));
        String progressText = sent.get(1).data().data().get("text/plain");
        assertTrue(progressText.matches("shown: [ab]: (warm-up \\d/1|rep \\d/3)"), progressText);
    }

    @Test
    void displayCanBeTurnedOff() {
        install();
        Benchmark.of("quiet").display(false).warmup(0).repetitions(1).variant("a", () -> { }).run();
        assertEquals(0, sent.size());
    }

    @Test
    void aFailureLeavesAMessageInPlaceOfTheProgress() {
        install();
        try {
            Benchmark.of("failing").warmup(0).repetitions(2).variant("x", () -> {
                throw new IllegalStateException("no");
            }).run();
        } catch (IllegalStateException expected) {
            // the benchmark rethrows; the display says where it stopped
        }
        String text = sent.get(sent.size() - 1).data().data().get("text/plain");
        assertTrue(text.startsWith("failing: stopped at x after 0 of 2 runs"), text);
    }
}
