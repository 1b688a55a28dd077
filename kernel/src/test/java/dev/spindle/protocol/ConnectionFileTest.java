package dev.spindle.protocol;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConnectionFileTest {
    private static final String GOOD = "{\"transport\":\"tcp\",\"ip\":\"127.0.0.1\",\"shell_port\":5001,"
            + "\"iopub_port\":5002,\"stdin_port\":5003,\"control_port\":5004,\"hb_port\":5005,"
            + "\"key\":\"k\",\"signature_scheme\":\"hmac-sha256\",\"kernel_name\":\"spindle\"}";

    private static String with(String field, String json) {
        JsonObject o = JsonParser.parseString(GOOD).getAsJsonObject();
        if (json == null) o.remove(field);
        else o.add(field, JsonParser.parseString(json));
        return o.toString();
    }

    private static String problem(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ConnectionFile.parse(json)).getMessage();
    }

    @Test
    void aJupyterConnectionFileIsAccepted() {
        ConnectionFile f = ConnectionFile.parse(GOOD);
        assertEquals("tcp://127.0.0.1:5001", f.address(f.shellPort()));
        assertTrue(f.signed());
        assertFalse(f.curve());
        assertFalse(f.toString().contains("\"k\""), "no key in toString");
    }

    @Test
    void eachProblemNamesItsField() {
        assertTrue(problem(with("transport", "\"ipc\"")).contains("'transport'"));
        assertTrue(problem(with("signature_scheme", null)).contains("'signature_scheme'"));
        assertTrue(problem(with("signature_scheme", "\"hmac-nonesuch\"")).contains("'signature_scheme'"));
        assertTrue(problem(with("signature_scheme", "\"rot13\"")).contains("'signature_scheme'"));
        assertTrue(problem(with("shell_port", "\"fifty\"")).contains("'shell_port'"));
        assertTrue(problem(with("hb_port", "70000")).contains("'hb_port'"));
        assertTrue(problem(with("iopub_port", null)).contains("'iopub_port'"));
        assertTrue(problem(with("ip", "3")).contains("'ip'"));
        assertTrue(problem(with("curve_publickey", "\"" + "a".repeat(40) + "\"")).contains("'curve_secretkey'"));
        assertTrue(problem(with("curve_secretkey", "\"short\"")).contains("'curve_publickey'"));
        assertTrue(problem("[1]").contains("JSON object"));
        assertTrue(problem("{oops").contains("JSON"));
        for (String p : new String[]{problem(with("transport", "\"ipc\"")), problem(with("signature_scheme", null))}) {
            assertFalse(p.contains("\n"), "one line: " + p);
        }
    }

    @Test
    void curveKeysComeInPairs() {
        JsonObject o = JsonParser.parseString(GOOD).getAsJsonObject();
        o.addProperty("curve_publickey", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
        o.addProperty("curve_secretkey", "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6");
        assertTrue(ConnectionFile.parse(o.toString()).curve());
    }
}
