package dev.spindle.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.List;

/**
 * One Jupyter message as it travels on the wire: routing identities, the four JSON parts and
 * any binary buffers. Immutable; the JSON objects are not copied, so handlers must not mutate
 * what they receive.
 */
public record Message(List<byte[]> identities, JsonObject header, JsonObject parentHeader,
                      JsonObject metadata, JsonObject content, List<byte[]> buffers, String contentProblem) {

    public Message(List<byte[]> identities, JsonObject header, JsonObject parentHeader,
                   JsonObject metadata, JsonObject content, List<byte[]> buffers) {
        this(identities, header, parentHeader, metadata, content, buffers, null);
    }

    /**
     * A message whose content frame was not a JSON object: it still gets a reply (an error naming
     * the problem) rather than vanishing, so its content here is empty.
     */
    static Message withBadContent(List<byte[]> identities, JsonObject header, JsonObject parentHeader,
                                  JsonObject metadata, List<byte[]> buffers, String problem) {
        return new Message(identities, header, parentHeader, metadata, new JsonObject(), buffers, problem);
    }

    public String type() {
        return string(header, "msg_type");
    }

    public String id() {
        return string(header, "msg_id");
    }

    static String string(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? "" : e.getAsString();
    }

    /** A content field as a string, or {@code fallback} when it is missing or not a string. */
    public String text(String key, String fallback) {
        JsonElement e = content.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : fallback;
    }

    public boolean flag(String key, boolean fallback) {
        JsonElement e = content.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : fallback;
    }

    public int integer(String key, int fallback) {
        JsonElement e = content.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : fallback;
    }
}
