package dev.spindle.protocol;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.spindle.output.DisplayService;
import dev.spindle.output.StreamRouter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link KernelCore} wired as the kernel wires it, minus sockets and JShell: a scripted engine,
 * an IOPub that records, a replier that records, and a shell queue the test fills.
 */
final class CoreHarness {
    /** Anything the core sent: on IOPub (replyTo null) or as a reply on the request's channel. */
    record Sent(String channel, String type, JsonObject parent, JsonObject content) {
        String parentId() {
            return Message.string(parent, "msg_id");
        }
    }

    final FakeEngine engine = new FakeEngine();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final Deque<Message> shellQueue = new ArrayDeque<>();
    final WireCodec codec = new WireCodec(null, false, "test-session");
    final IOPub iopub = (type, parent, content) -> sent.add(new Sent("iopub", type, parent, content));
    final CellOrigins origins = new CellOrigins();
    final CellPublisher publisher = new CellPublisher(iopub, origins, (origin, prompt, password) -> "typed");
    final StreamRouter streams = new StreamRouter(publisher, new PrintStream(new ByteArrayOutputStream()));
    final DisplayService displays = new DisplayService(publisher, streams, "test-session");
    final ExecuteHandler execute = new ExecuteHandler(engine, streams, displays, iopub, origins);
    int shutdowns;
    final KernelCore core = new KernelCore(engine, iopub, execute, shellQueue::poll,
            KernelInfo.content("/tmp/kernel.log"), () -> shutdowns++);
    final Replier replier = (request, type, content) ->
            sent.add(new Sent("reply", type, request.header(), content));

    Message request(String type, String contentJson) {
        return codec.create(List.of("client".getBytes(StandardCharsets.UTF_8)), type, null,
                JsonParser.parseString(contentJson).getAsJsonObject());
    }

    Message execute(String code) {
        return execute(code, "");
    }

    /** An execute_request; {@code extra} is more content fields, e.g. {@code "silent": true}. */
    Message execute(String code, String extra) {
        JsonObject c = new JsonObject();
        c.addProperty("code", code);
        JsonObject more = JsonParser.parseString("{" + extra + "}").getAsJsonObject();
        more.entrySet().forEach(e -> c.add(e.getKey(), e.getValue()));
        return codec.create(List.of(), "execute_request", null, c);
    }

    List<Sent> shell(Message m) {
        int from = sent.size();
        core.dispatchShell(m, replier);
        return new ArrayList<>(sent.subList(from, sent.size()));
    }

    List<Sent> control(Message m) {
        int from = sent.size();
        core.dispatchControl(m, replier);
        return new ArrayList<>(sent.subList(from, sent.size()));
    }

    static List<Sent> replies(List<Sent> sent) {
        return sent.stream().filter(s -> s.channel().equals("reply")).toList();
    }

    static List<Sent> ofType(List<Sent> sent, String type) {
        return sent.stream().filter(s -> s.type().equals(type)).toList();
    }

    static String state(Sent s) {
        return s.type().equals("status") ? s.content().get("execution_state").getAsString() : null;
    }
}
