package dev.spindle.timing;

import dev.spindle.output.Display;
import dev.spindle.output.DisplayHandle;
import dev.spindle.output.Html;
import dev.spindle.output.MimeBundle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A progress line shown once and updated in place. Outside the kernel (unit tests, plain
 * JShell) there is nothing to display into, and it silently shows nothing; it also gives up
 * after the first failed update rather than slowing down the measurement.
 */
final class Progress {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private DisplayHandle handle;
    private long lastUpdate;

    private Progress(DisplayHandle handle) {
        this.handle = handle;
        this.lastUpdate = System.nanoTime();
    }

    static Progress start(boolean enabled, String text) {
        if (!enabled) return new Progress(null);
        try {
            return new Progress(Display.display(bundle(text, 0, 1)));
        } catch (RuntimeException e) {
            return new Progress(null);
        }
    }

    /** Shows {@code text} with a bar at done/total, at most ten times a second. */
    void update(String text, int done, int total) {
        if (handle == null) return;
        long now = System.nanoTime();
        if (now - lastUpdate < MIN_INTERVAL_NANOS && done < total) return;
        lastUpdate = now;
        replace(bundle(text, done, total));
    }

    /**
     * Replaces the progress with {@code value} (e.g. the final chart), now; the value is only
     * made when there is a display to show it in.
     */
    void finish(java.util.function.Supplier<?> value) {
        if (handle == null) return;
        replace(value.get());
        handle = null;
    }

    private void replace(Object value) {
        try {
            handle.update(value);
        } catch (RuntimeException e) {
            handle = null;
        }
    }

    private static MimeBundle bundle(String text, int done, int total) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/html", "<progress value='" + done + "' max='" + total + "' style='width:12em'></progress> "
                + Html.escape(text));
        m.put("text/plain", text);
        return new MimeBundle(m);
    }
}
