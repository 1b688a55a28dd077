package dev.spindle.output;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.common.Image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders values to MIME bundles (basekernel's {@link Renderer} and MIME model) and hands
 * displays, updates and clears to the {@link Publisher} as plain data. Only the map of MIME
 * types is taken from basekernel, never its JSON: it serializes display data through Gson
 * reflection, which is slow and fragile.
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

    /** Makes this the service that {@code display(..)} in cells uses; the kernel calls it once at start. */
    public void install() {
        Display.install(this);
    }

    /** Forgets the installed service, so {@code display(..)} fails again as outside a kernel (tests). */
    public static void uninstall() {
        Display.install(null);
    }

    /** All representations of {@code value}, in preference order; text/plain is always present. */
    public MimeBundle render(Object value) {
        MimeBundle own = ownBundle(value);
        if (own != null) value = own;
        if (value == null) return new MimeBundle(Map.of("text/plain", "null"));
        Map<String, String> data = new LinkedHashMap<>();
        if (value instanceof MimeBundle b) {
            data.putAll(b.data());
        } else {
            DisplayData d = renderer.render(value);
            for (Map.Entry<String, Object> e : rawData(d).entrySet()) {
                data.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        data.putIfAbsent("text/plain", String.valueOf(value));
        return new MimeBundle(data);
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
    public MimeBundle richTypes(Object value) {
        if (value == null) return null;
        MimeBundle own = ownBundle(value);
        if (own != null) value = own;
        if (!(value instanceof MimeBundle) && !(value instanceof java.awt.image.RenderedImage)) return null;
        Map<String, String> data = new LinkedHashMap<>(render(value).data());
        data.remove("text/plain");
        return data.isEmpty() ? null : new MimeBundle(data);
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

    DisplayHandle display(Object value, CellContext cell) {
        requireCell(cell);
        DisplayHandle handle = new DisplayHandle(prefix + ids.incrementAndGet(), cell);
        MimeBundle data = render(value);
        streams.flush(cell); // what the cell printed before the display shows before it
        publisher.display(cell, data, handle.id());
        return handle;
    }

    void update(DisplayHandle handle, Object value, CellContext cell) {
        MimeBundle data = render(value);
        streams.flush(cell);
        publisher.updateDisplay(cell, data, handle.id());
    }

    void clear(CellContext cell, boolean wait) {
        requireCell(cell);
        streams.flush(cell);
        publisher.clearOutput(cell, wait);
    }

    private static void requireCell(CellContext cell) {
        if (cell == null) throw new IllegalStateException("no cell is running to display into");
    }
}
