package dev.spindle.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.messages.HMACGenerator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Turns ZeroMQ frames into {@link Message}s and back, signing and verifying with HMAC.
 * <p>
 * The HMAC itself comes from basekernel's {@link HMACGenerator}; the comparison is ours,
 * because basekernel compares signatures with {@code String.equals}, which leaks timing.
 * One codec per socket thread: the generator is synchronized, so sharing it would serialize
 * the channels.
 */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    static final String PROTOCOL_VERSION = "5.4";
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final HMACGenerator hmac;
    private final boolean signed;
    private final String session;

    public WireCodec(HMACGenerator hmac, boolean signed, String session) {
        this.hmac = hmac;
        this.signed = signed;
        this.session = session;
    }

    public Message decode(List<byte[]> frames) throws BadMessageException {
        int delim = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delim = i;
                break;
            }
        }
        if (delim < 0) throw new BadMessageException("no <IDS|MSG> delimiter among " + frames.size() + " frames");
        if (frames.size() < delim + 6) throw new BadMessageException("truncated message: " + frames.size() + " frames");
        byte[] signature = frames.get(delim + 1);
        byte[] header = frames.get(delim + 2), parent = frames.get(delim + 3),
                metadata = frames.get(delim + 4), content = frames.get(delim + 5);
        if (signed) {
            byte[] expected = hmac.calculateSignature(header, parent, metadata, content)
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, signature)) {
                throw new BadMessageException("invalid HMAC signature");
            }
        }
        List<byte[]> identities = List.copyOf(frames.subList(0, delim));
        List<byte[]> buffers = List.copyOf(frames.subList(delim + 6, frames.size()));
        JsonObject h, p, md;
        try {
            h = object(header, "header");
            p = object(parent, "parent_header");
            md = object(metadata, "metadata");
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadMessageException("malformed JSON: " + e.getMessage());
        }
        // A signed message with a sound header but a content that is not an object is a
        // client's mistake: it is answered (with an error naming the content), not dropped.
        try {
            return new Message(identities, h, p, md, object(content, "content"), buffers);
        } catch (BadMessageException e) {
            return Message.withBadContent(identities, h, p, md, buffers, e.getMessage());
        } catch (JsonParseException | IllegalStateException e) {
            return Message.withBadContent(identities, h, p, md, buffers, "content is not valid JSON");
        }
    }

    private static JsonObject object(byte[] json, String part) throws BadMessageException {
        JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
        if (e.isJsonNull()) return new JsonObject();
        if (!e.isJsonObject()) {
            throw new BadMessageException(part + " is not a JSON object (got " + kind(e) + ")");
        }
        return e.getAsJsonObject();
    }

    /** "an array", "a string", "a number", ... for error messages about JSON input. */
    static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) return "null";
        if (e.isJsonArray()) return "an array";
        if (e.isJsonObject()) return "an object";
        var p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }

    public List<byte[]> encode(Message m) {
        byte[] header = bytes(m.header()), parent = bytes(m.parentHeader()),
                metadata = bytes(m.metadata()), content = bytes(m.content());
        List<byte[]> frames = new ArrayList<>(m.identities().size() + 6 + m.buffers().size());
        frames.addAll(m.identities());
        frames.add(DELIMITER);
        frames.add(signed ? hmac.calculateSignature(header, parent, metadata, content)
                .getBytes(StandardCharsets.US_ASCII) : new byte[0]);
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(m.buffers());
        return frames;
    }

    private static byte[] bytes(JsonObject o) {
        return (o == null ? "{}" : o.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** A new message of {@code type} in reply to (or caused by) {@code parentHeader}. */
    public Message create(List<byte[]> identities, String type, JsonObject parentHeader, JsonObject content) {
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", UUID.randomUUID().toString());
        header.addProperty("session", session);
        header.addProperty("username", "kernel");
        header.addProperty("date", ISO_MICROS.format(Instant.now()));
        header.addProperty("msg_type", type);
        header.addProperty("version", PROTOCOL_VERSION);
        return new Message(identities, header, parentHeader == null ? new JsonObject() : parentHeader,
                new JsonObject(), content, List.of());
    }
}
