package dev.spindle.output;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Publisher} for tests: keeps every call, named like the Jupyter message it becomes. */
public final class RecordingPublisher implements Publisher {
    /** One call: {@code type} is stream, display_data, update_display_data or clear_output. */
    public record Sent(String type, CellContext cell, String stream, String text, MimeBundle data,
                       String displayId, boolean waitForOutput) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** What {@link #requestInput} answers. */
    public volatile String input = "";

    @Override
    public void stream(CellContext cell, String stream, String text) {
        sent.add(new Sent("stream", cell, stream, text, null, null, false));
    }

    @Override
    public void display(CellContext cell, MimeBundle data, String displayId) {
        sent.add(new Sent("display_data", cell, null, null, data, displayId, false));
    }

    @Override
    public void updateDisplay(CellContext cell, MimeBundle data, String displayId) {
        sent.add(new Sent("update_display_data", cell, null, null, data, displayId, false));
    }

    @Override
    public void clearOutput(CellContext cell, boolean wait) {
        sent.add(new Sent("clear_output", cell, null, null, null, null, wait));
    }

    @Override
    public String requestInput(CellContext cell, String prompt, boolean password) {
        return input;
    }
}
