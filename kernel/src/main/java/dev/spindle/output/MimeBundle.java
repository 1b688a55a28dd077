package dev.spindle.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value shown by its MIME representations, e.g. {@code Display.html("<b>hi</b>")}. Display it
 * with {@link Display#display(Object)} or leave it as a cell's last expression.
 */
public final class MimeBundle {
    private final Map<String, String> data;

    /** A bundle of {@code mimeType -> data} pairs; binary types (images) are base64 text. */
    public MimeBundle(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The representations, in preference order. */
    public Map<String, String> data() {
        return data;
    }

    @Override
    public String toString() {
        String plain = data.get("text/plain");
        return plain != null ? plain : "MimeBundle" + data.keySet();
    }
}
