package dev.spindle.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Map;

/**
 * Checks the content of requests before a handler reads it. Jupyter's fields have types (a
 * {@code code} string, a {@code silent} boolean); a value of another type is a client's bug,
 * and coercing it (the number 42 run as the cell "42", the string "false" read as true) hides
 * that bug. Each problem is one sentence that names the field.
 */
final class RequestCheck {
    private RequestCheck() {
    }

    /** The problem with an execute_request's content, or null when it is well-formed. */
    static String execute(JsonObject content) {
        JsonElement code = content.get("code");
        if (code == null) return "field 'code' is missing";
        if (!isString(code)) return "field 'code' must be a string, got " + WireCodec.kind(code);
        for (String flag : new String[]{"silent", "store_history", "allow_stdin", "stop_on_error"}) {
            JsonElement e = content.get(flag);
            if (e != null && !isBoolean(e)) return "field '" + flag + "' must be true or false, got " + describe(e);
        }
        JsonElement exprs = content.get("user_expressions");
        if (exprs != null && !exprs.isJsonNull()) {
            if (!exprs.isJsonObject()) return "field 'user_expressions' must be an object, got " + WireCodec.kind(exprs);
            for (Map.Entry<String, JsonElement> e : exprs.getAsJsonObject().entrySet()) {
                if (!isString(e.getValue())) {
                    return "field 'user_expressions' maps '" + e.getKey() + "' to " + WireCodec.kind(e.getValue())
                            + "; expressions must be strings";
                }
            }
        }
        return null;
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isBoolean(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean();
    }

    private static String describe(JsonElement e) {
        String kind = WireCodec.kind(e);
        if (!e.isJsonPrimitive()) return kind;
        String text = e.toString();
        return kind + " (" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + ")";
    }
}
