package dev.spindle.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.messages.HMACGenerator;

import java.security.GeneralSecurityException;
import java.util.Locale;

/**
 * A Jupyter connection file, checked before anything is bound: a kernel that starts on a file it
 * cannot honour is a kernel no client can reach. Every problem is an
 * {@link IllegalArgumentException} whose message names the field, short enough for one line.
 * <p>
 * Only {@code tcp} is accepted: JeroMQ has no real {@code ipc} transport (it emulates it with TCP
 * on another port, where a client looking for the socket file finds nothing). CurveZMQ keys
 * ({@code curve_publickey}, {@code curve_secretkey}, Z85, 40 characters each) come in pairs.
 */
public record ConnectionFile(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String signatureScheme, String key,
                             String curvePublicKey, String curveSecretKey) {

    /** Parses and checks {@code json}; the message of the exception names the offending field. */
    public static ConnectionFile parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isJsonObject()) throw new IllegalArgumentException("not a JSON object");
        JsonObject o = root.getAsJsonObject();

        String transport = optionalString(o, "transport", "tcp");
        if (!"tcp".equals(transport)) {
            throw new IllegalArgumentException("field 'transport' is '" + transport
                    + "': Spindle supports only 'tcp' (JeroMQ has no ipc transport)");
        }
        String ip = requiredString(o, "ip");
        if (ip.isBlank()) throw new IllegalArgumentException("field 'ip' is empty");
        int shell = port(o, "shell_port"), iopub = port(o, "iopub_port"), stdin = port(o, "stdin_port"),
                control = port(o, "control_port"), hb = port(o, "hb_port");
        String key = optionalString(o, "key", "");
        if (!o.has("signature_scheme")) {
            throw new IllegalArgumentException("field 'signature_scheme' is missing (Jupyter writes \"hmac-sha256\")");
        }
        String scheme = requiredString(o, "signature_scheme");
        checkScheme(scheme, key);
        String curvePublic = optionalString(o, "curve_publickey", null);
        String curveSecret = optionalString(o, "curve_secretkey", null);
        if ((curvePublic == null) != (curveSecret == null)) {
            throw new IllegalArgumentException("field '" + (curvePublic == null ? "curve_publickey" : "curve_secretkey")
                    + "' is missing: CurveZMQ needs both keys");
        }
        if (curvePublic != null) {
            checkZ85Key(curvePublic, "curve_publickey");
            checkZ85Key(curveSecret, "curve_secretkey");
        }
        return new ConnectionFile(transport, ip, shell, iopub, stdin, control, hb, scheme, key, curvePublic, curveSecret);
    }

    /** Whether the sockets are encrypted with CurveZMQ. */
    public boolean curve() {
        return curvePublicKey != null;
    }

    /** Whether messages are signed (an empty key turns signing off, as in Jupyter). */
    boolean signed() {
        return !key.isEmpty();
    }

    /** A new HMAC generator for one channel (generators are synchronized: one per thread). */
    HMACGenerator hmac() {
        if (!signed()) return HMACGenerator.NO_AUTH_INSTANCE;
        try {
            return new HMACGenerator(signatureScheme, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signature_scheme " + signatureScheme + ": " + e.getMessage(), e);
        }
    }

    String address(int port) {
        return transport + "://" + ip + ":" + port;
    }

    private static void checkScheme(String scheme, String key) {
        if (!scheme.toLowerCase(Locale.ROOT).startsWith("hmac-")) {
            throw new IllegalArgumentException("field 'signature_scheme' is '" + scheme + "': expected hmac-<hash>, e.g. hmac-sha256");
        }
        try {
            new HMACGenerator(scheme, key.isEmpty() ? "k" : key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("field 'signature_scheme' is '" + scheme
                    + "', which this JVM cannot compute (use hmac-sha256)");
        }
    }

    private static void checkZ85Key(String k, String field) {
        if (k.length() != 40 || !k.chars().allMatch(c -> Z85.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("field '" + field + "' is not a Z85-encoded 32-byte key (40 characters)");
        }
    }

    private static final String Z85 =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private static int port(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) throw new IllegalArgumentException("field '" + field + "' is missing");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a port number, got " + e);
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < 1 || d > 65535) {
            throw new IllegalArgumentException("field '" + field + "' must be a port from 1 to 65535, got " + e);
        }
        return (int) d;
    }

    private static String requiredString(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) throw new IllegalArgumentException("field '" + field + "' is missing");
        return string(e, field);
    }

    private static String optionalString(JsonObject o, String field, String fallback) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? fallback : string(e, field);
    }

    private static String string(JsonElement e, String field) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String toString() {
        // The key and the secret key stay out of logs.
        return "ConnectionFile[" + transport + "://" + ip + " shell " + shellPort + ", iopub " + iopubPort
                + ", stdin " + stdinPort + ", control " + controlPort + ", hb " + hbPort + ", " + signatureScheme
                + (curve() ? ", curve" : "") + "]";
    }
}
