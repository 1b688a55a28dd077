package dev.spindle.protocol;

import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WireCodecTest {
    private static WireCodec codec(String key) throws Exception {
        return new WireCodec(new HMACGenerator("hmac-sha256", key), true, "session-1");
    }

    private static Message request() throws Exception {
        JsonObject content = new JsonObject();
        content.addProperty("code", "1 + 1");
        return codec("k").create(List.of("client".getBytes(StandardCharsets.UTF_8)), "execute_request", null, content);
    }

    @Test
    void roundTripKeepsIdentitiesAndContent() throws Exception {
        WireCodec c = codec("secret");
        Message m = request();
        Message back = c.decode(c.encode(m));
        assertEquals("execute_request", back.type());
        assertEquals("1 + 1", back.text("code", null));
        assertArrayEquals("client".getBytes(StandardCharsets.UTF_8), back.identities().get(0));
        assertEquals(m.id(), back.id());
    }

    @Test
    void wrongKeyIsRejected() throws Exception {
        List<byte[]> frames = codec("attacker").encode(request());
        BadMessageException e = assertThrows(BadMessageException.class, () -> codec("secret").decode(frames));
        assertTrue(e.getMessage().contains("signature"));
    }

    @Test
    void tamperedContentIsRejected() throws Exception {
        WireCodec c = codec("secret");
        List<byte[]> frames = new ArrayList<>(c.encode(request()));
        frames.set(frames.size() - 1, "{\"code\":\"System.exit(0)\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(BadMessageException.class, () -> c.decode(frames));
    }

    @Test
    void malformedJsonAndMissingDelimiterAreRejected() throws Exception {
        WireCodec unsigned = new WireCodec(HMACGenerator.NO_AUTH_INSTANCE, false, "s");
        List<byte[]> bad = List.of(WireCodec.DELIMITER, new byte[0], "{not json".getBytes(), "{}".getBytes(),
                "{}".getBytes(), "{}".getBytes());
        assertThrows(BadMessageException.class, () -> unsigned.decode(bad));
        assertThrows(BadMessageException.class, () -> unsigned.decode(List.of("x".getBytes())));
        List<byte[]> notObject = List.of(WireCodec.DELIMITER, new byte[0], "[1]".getBytes(), "{}".getBytes(),
                "{}".getBytes(), "{}".getBytes());
        assertThrows(BadMessageException.class, () -> unsigned.decode(notObject));
    }

    @Test
    void contentThatIsNotAnObjectIsDecodedWithTheProblemNamed() throws Exception {
        WireCodec unsigned = new WireCodec(HMACGenerator.NO_AUTH_INSTANCE, false, "s");
        for (String content : new String[]{"[1, 2]", "\"code\"", "{\"code\": \"1 + "}) {
            List<byte[]> frames = List.of(WireCodec.DELIMITER, new byte[0],
                    "{\"msg_id\":\"m\",\"msg_type\":\"execute_request\"}".getBytes(), "{}".getBytes(),
                    "{}".getBytes(), content.getBytes());
            Message m = unsigned.decode(frames);
            assertEquals("execute_request", m.type());
            assertNotNull(m.contentProblem(), content);
            assertTrue(m.contentProblem().contains("content"), m.contentProblem());
            assertEquals(0, m.content().size());
        }
    }

    @Test
    void headerHasProtocolFields() throws Exception {
        Message m = request();
        for (String k : List.of("msg_id", "session", "username", "date", "msg_type", "version")) {
            assertTrue(m.header().has(k), k);
        }
        assertEquals("5.4", m.header().get("version").getAsString());
    }
}
