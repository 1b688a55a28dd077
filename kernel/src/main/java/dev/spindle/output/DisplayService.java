package dev.spindle.output;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.common.Image;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders values to MIME bundles (basekernel's {@link Renderer} and MIME model) and publishes
 * display_data, update_display_data and clear_output. The JSON is built by hand: basekernel
 * serializes display data through Gson reflection, which is slow and fragile.
 */
public final class DisplayService {
    private final Publisher publisher;
    private final StreamRouter streams;
    private final Renderer renderer = new Renderer();
    private final AtomicLong ids = new AtomicLong();
    private final String prefix;

    public DisplayService(Publisher publisher, StreamRouter streams, String kernelSession) {
        this.publisher = publisher;
        this.streams = streams;
        this.prefix = "spindle-" + kernelSession.substring(0, Math.min(8, kernelSession.length())) + "-";
        Image.registerAll(renderer);
        renderer.createRegistration(MimeBundle.class).preferring("text/html", "text/markdown",
                "image/svg+xml", "image/png", "image/jpeg", "text/latex", "application/json",
                "application/vnd.vegalite.v5+json").register((bundle, ctx) -> {
                    DisplayData out = ctx.getOutputContainer();
                    bundle.data().forEach(out::putData);
                });
    }

    /** All representations of {@code value}; text/plain is always present. */
    public JsonObject render(Object value) {
        MimeBundle own = ownBundle(value);
        if (own != null) value = own;
        if (value == null) {
            JsonObject data = new JsonObject();
            data.addProperty("text/plain", "null");
            return data;
        }
        DisplayData d = renderer.render(value);
        JsonObject data = new JsonObject();
        if (value instanceof MimeBundle b) {
            b.data().forEach((k, v) -> data.add(k, jsonAware(k, v)));
        } else {
            for (Map.Entry<String, Object> e : rawData(d).entrySet()) {
                data.add(e.getKey(), jsonAware(e.getKey(), String.valueOf(e.getValue())));
            }
        }
        if (!data.has("text/plain")) data.addProperty("text/plain", String.valueOf(value));
        return data;
    }

    /**
     * Charts, benchmark results and other helper values render themselves: any value with a
     * public no-argument {@code toMimeBundle()} returning a {@link MimeBundle}.
     */
    private static MimeBundle ownBundle(Object value) {
        if (value == null || value instanceof MimeBundle) return null;
        try {
            var m = value.getClass().getMethod("toMimeBundle");
            if (!MimeBundle.class.isAssignableFrom(m.getReturnType())) return null;
            // A public method of a non-public class (Figure.row(..) returns one; so may a
            // notebook's own class) is not callable by reflection until made accessible.
            if (!java.lang.reflect.Modifier.isPublic(m.getDeclaringClass().getModifiers())) m.setAccessible(true);
            return (MimeBundle) m.invoke(value);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Rich types of {@code value} beyond text/plain, or null when it has none. */
    public JsonObject richTypes(Object value) {
        if (value == null) return null;
        MimeBundle own = ownBundle(value);
        if (own != null) value = own;
        if (!(value instanceof MimeBundle) && !(value instanceof java.awt.image.RenderedImage)) return null;
        JsonObject data = render(value);
        data.remove("text/plain");
        return data.size() == 0 ? null : data;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rawData(DisplayData d) {
        // DisplayData keeps its map private; its JSON form is what we need anyway.
        try {
            var f = DisplayData.class.getDeclaredField("data");
            f.setAccessible(true);
            return (Map<String, Object>) f.get(d);
        } catch (ReflectiveOperationException e) {
            return Map.of("text/plain", String.valueOf(d));
        }
    }

    private static JsonElement jsonAware(String mime, String value) {
        if (mime.equals("application/json") || mime.endsWith("+json")) {
            try {
                return JsonParser.parseString(value);
            } catch (RuntimeException e) {
                // fall through: send it as text
            }
        }
        return new com.google.gson.JsonPrimitive(value);
    }

    DisplayHandle display(Object value, CellContext cell) {
        requireCell(cell);
        DisplayHandle handle = new DisplayHandle(prefix + ids.incrementAndGet(), cell);
        send("display_data", value, handle.id(), cell);
        return handle;
    }

    void update(DisplayHandle handle, Object value, CellContext cell) {
        send("update_display_data", value, handle.id(), cell);
    }

    void clear(CellContext cell, boolean wait) {
        requireCell(cell);
        streams.flush(cell);
        JsonObject content = new JsonObject();
        content.addProperty("wait", wait);
        publisher.publish(cell, "clear_output", content);
    }

    private void send(String type, Object value, String id, CellContext cell) {
        JsonObject content = new JsonObject();
        content.add("data", render(value));
        content.add("metadata", new JsonObject());
        JsonObject transientData = new JsonObject();
        transientData.addProperty("display_id", id);
        content.add("transient", transientData);
        streams.flush(cell); // what the cell printed before the display shows before it
        publisher.publish(cell, type, content);
    }

    private static void requireCell(CellContext cell) {
        if (cell == null) throw new IllegalStateException("no cell is running to display into");
    }
}
