package dev.spindle.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.spindle.output.CellContext;
import dev.spindle.output.MimeBundle;
import dev.spindle.output.Publisher;

import java.util.Map;

/**
 * The protocol's side of the output seam: turns a cell's streams, displays, clears and input
 * requests into Jupyter messages parented by the request that started the cell.
 */
final class CellPublisher implements Publisher {
    /** Sends input requests; the stdin channel in the kernel. */
    interface InputChannel {
        String readLine(CellOrigins.Origin origin, String prompt, boolean password) throws InterruptedException;
    }

    private final IOPub iopub;
    private final CellOrigins origins;
    private final InputChannel input;

    CellPublisher(IOPub iopub, CellOrigins origins, InputChannel input) {
        this.iopub = iopub;
        this.origins = origins;
        this.input = input;
    }

    @Override
    public void stream(CellContext cell, String stream, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", stream);
        content.addProperty("text", text);
        publish(cell, "stream", content);
    }

    @Override
    public void display(CellContext cell, MimeBundle data, String displayId) {
        publish(cell, "display_data", displayContent(data, displayId));
    }

    @Override
    public void updateDisplay(CellContext cell, MimeBundle data, String displayId) {
        publish(cell, "update_display_data", displayContent(data, displayId));
    }

    @Override
    public void clearOutput(CellContext cell, boolean wait) {
        JsonObject content = new JsonObject();
        content.addProperty("wait", wait);
        publish(cell, "clear_output", content);
    }

    @Override
    public String requestInput(CellContext cell, String prompt, boolean password) throws InterruptedException {
        return input.readLine(origins.of(cell), prompt, password);
    }

    private void publish(CellContext cell, String type, JsonObject content) {
        iopub.publish(type, origins.of(cell).header(), content);
    }

    private static JsonObject displayContent(MimeBundle data, String displayId) {
        JsonObject content = new JsonObject();
        content.add("data", mimeData(data.data()));
        content.add("metadata", new JsonObject());
        JsonObject transientData = new JsonObject();
        transientData.addProperty("display_id", displayId);
        content.add("transient", transientData);
        return content;
    }

    /** A MIME bundle as Jupyter's {@code data}: JSON types as JSON objects, the rest as strings. */
    static JsonObject mimeData(Map<String, String> bundle) {
        JsonObject data = new JsonObject();
        bundle.forEach((mime, value) -> data.add(mime, jsonAware(mime, value)));
        return data;
    }

    private static JsonElement jsonAware(String mime, String value) {
        if (mime.equals("application/json") || mime.endsWith("+json")) {
            try {
                return JsonParser.parseString(value);
            } catch (RuntimeException e) {
                // fall through: send it as text
            }
        }
        return new JsonPrimitive(value);
    }
}
