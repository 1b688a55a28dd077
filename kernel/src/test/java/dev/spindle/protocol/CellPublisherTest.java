package dev.spindle.protocol;

import com.google.gson.JsonObject;
import dev.spindle.output.CellContext;
import dev.spindle.output.MimeBundle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The typed output seam as Jupyter messages: shapes, parents, JSON-aware MIME types. */
class CellPublisherTest {
    private record Sent(String type, JsonObject parent, JsonObject content) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final CellOrigins origins = new CellOrigins();
    private final CellPublisher publisher = new CellPublisher((t, p, c) -> sent.add(new Sent(t, p, c)), origins,
            (origin, prompt, password) -> Message.string(origin.header(), "msg_id") + ":" + prompt + ":" + password);
    private final CellContext cell = new CellContext(3, true, new CellContext.OutputBudget(100));

    private JsonObject header(String id) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", id);
        return h;
    }

    @Test
    void displaysCarryTheirIdAndSendJsonTypesAsJson() {
        origins.put(cell, header("req-1"), List.of());
        Map<String, String> data = new LinkedHashMap<>();
        data.put("application/vnd.vegalite.v5+json", "{\"mark\":\"bar\"}");
        data.put("application/json", "not json {");
        data.put("text/plain", "{\"looks\":\"like json\"}");
        publisher.display(cell, new MimeBundle(data), "d-1");
        publisher.updateDisplay(cell, new MimeBundle(Map.of("text/plain", "x")), "d-1");

        assertEquals("display_data", sent.get(0).type());
        assertEquals("update_display_data", sent.get(1).type());
        JsonObject content = sent.get(0).content();
        assertEquals("req-1", sent.get(0).parent().get("msg_id").getAsString());
        assertEquals("d-1", content.getAsJsonObject("transient").get("display_id").getAsString());
        assertTrue(content.getAsJsonObject("metadata").entrySet().isEmpty());
        JsonObject d = content.getAsJsonObject("data");
        assertEquals("bar", d.getAsJsonObject("application/vnd.vegalite.v5+json").get("mark").getAsString());
        assertEquals("not json {", d.get("application/json").getAsString(), "unparseable JSON goes as text");
        assertTrue(d.get("text/plain").isJsonPrimitive());
        assertEquals(List.copyOf(data.keySet()), List.copyOf(d.keySet()), "order kept");
    }

    @Test
    void streamsClearsAndInputFollowTheCellsRequest() throws InterruptedException {
        origins.put(cell, header("req-2"), List.of());
        publisher.stream(cell, "stderr", "oops\n");
        publisher.clearOutput(cell, true);
        assertEquals("stream", sent.get(0).type());
        assertEquals("stderr", sent.get(0).content().get("name").getAsString());
        assertEquals("oops\n", sent.get(0).content().get("text").getAsString());
        assertEquals("clear_output", sent.get(1).type());
        assertTrue(sent.get(1).content().get("wait").getAsBoolean());
        assertTrue(sent.stream().allMatch(s -> s.parent().get("msg_id").getAsString().equals("req-2")));
        assertEquals("req-2:Name?:false", publisher.requestInput(cell, "Name?", false));
    }

    @Test
    void aCellNoRequestStartedPublishesWithoutParent() {
        publisher.stream(new CellContext(0, false, new CellContext.OutputBudget(10)), "stdout", "x");
        assertNull(sent.get(0).parent());
    }
}
