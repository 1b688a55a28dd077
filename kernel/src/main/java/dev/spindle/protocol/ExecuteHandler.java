package dev.spindle.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.spindle.engine.Engine;
import dev.spindle.engine.Outcome;
import dev.spindle.magic.Magics;
import dev.spindle.output.CellContext;
import dev.spindle.output.DisplayService;
import dev.spindle.output.StreamRouter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * execute_request end to end: execution count, execute_input, running the cell, flushing its
 * output, the result, the reply, history, and stop-on-error: after a failure the execute
 * requests already queued behind it are answered {@code aborted} without running.
 */
final class ExecuteHandler {
    private static final Logger LOG = Logger.getLogger(ExecuteHandler.class.getName());
    static final long OUTPUT_LIMIT = Long.getLong("spindle.outputLimit", 1_000_000L);

    private final Engine engine;
    private final StreamRouter streams;
    private final DisplayService displays;
    private final Magics magics;
    private final History history = new History();
    private int executionCount;
    private KernelCore core;
    private Supplier<Message> pendingShell = () -> null;

    ExecuteHandler(Engine engine, StreamRouter streams, DisplayService displays) {
        this.engine = engine;
        this.streams = streams;
        this.displays = displays;
        this.magics = new Magics(engine, streams);
    }

    void wire(KernelCore core, Supplier<Message> pendingShell) {
        this.core = core;
        this.pendingShell = pendingShell;
    }

    void handle(Message m, Replier replier) {
        String code = m.text("code", "");
        boolean silent = m.flag("silent", false);
        boolean storeHistory = !silent && m.flag("store_history", true);
        boolean stopOnError = m.flag("stop_on_error", true);
        if (storeHistory) executionCount++;
        int count = executionCount;

        CellContext cell = new CellContext(m.header(), m.identities(), storeHistory ? count : 0,
                m.flag("allow_stdin", false), new CellContext.OutputBudget(OUTPUT_LIMIT));
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            publish(cell, "execute_input", input);
        }

        Outcome outcome = magics.execute(code, cell);
        streams.finishCell(cell);

        JsonObject reply = new JsonObject();
        String plainResult = null;
        if (outcome instanceof Outcome.Value v) {
            if (v.present() && !silent) {
                JsonObject data = new JsonObject();
                data.addProperty("text/plain", v.text());
                JsonObject rich = safeRichTypes(v.value());
                if (rich != null) rich.entrySet().forEach(e -> data.add(e.getKey(), e.getValue()));
                JsonObject result = new JsonObject();
                result.addProperty("execution_count", count);
                result.add("data", data);
                result.add("metadata", new JsonObject());
                publish(cell, "execute_result", result);
                plainResult = v.text();
            }
            reply.addProperty("status", "ok");
            reply.addProperty("execution_count", count);
            reply.add("user_expressions", userExpressions(m, cell));
            reply.add("payload", new JsonArray());
        } else {
            Outcome.Failure f = (Outcome.Failure) outcome;
            JsonObject error = failure(f);
            if (!silent) publish(cell, "error", error.deepCopy());
            reply = error;
            reply.addProperty("execution_count", count);
            reply.add("user_expressions", new JsonObject());
            reply.add("payload", new JsonArray());
        }
        if (storeHistory) history.add(count, code, plainResult);
        // Only what was queued while the cell ran is "behind" it: collect that before the reply,
        // or a client that answers the reply at once would see its next request aborted.
        List<Message> queued = outcome instanceof Outcome.Failure && stopOnError ? drainQueued() : List.of();
        replier.reply(m, "execute_reply", reply);
        streams.forgetIdle(cell);
        if (!queued.isEmpty()) abortQueued(queued, replier);
    }

    private List<Message> drainQueued() {
        List<Message> queued = new ArrayList<>();
        Message next;
        while ((next = pendingShell.get()) != null) queued.add(next);
        return queued;
    }

    private JsonObject safeRichTypes(Object value) {
        try {
            return displays.richTypes(value);
        } catch (RuntimeException e) {
            LOG.warning(() -> "rendering the result failed: " + e);
            return null;
        }
    }

    private static JsonObject failure(Outcome.Failure f) {
        JsonObject error = new JsonObject();
        error.addProperty("status", "error");
        error.addProperty("ename", f.ename());
        error.addProperty("evalue", f.evalue());
        JsonArray tb = new JsonArray();
        f.traceback().forEach(tb::add);
        error.add("traceback", tb);
        return error;
    }

    private JsonObject userExpressions(Message m, CellContext cell) {
        JsonObject out = new JsonObject();
        JsonElement exprs = m.content().get("user_expressions");
        if (exprs == null || !exprs.isJsonObject()) return out;
        for (Map.Entry<String, JsonElement> e : exprs.getAsJsonObject().entrySet()) {
            String expr = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
            Outcome o = engine.evaluate(expr, cell);
            JsonObject r;
            if (o instanceof Outcome.Value v) {
                r = new JsonObject();
                r.addProperty("status", "ok");
                JsonObject data = new JsonObject();
                data.addProperty("text/plain", v.present() ? v.text() : "");
                r.add("data", data);
                r.add("metadata", new JsonObject());
            } else {
                r = failure((Outcome.Failure) o);
            }
            out.add(e.getKey(), r);
        }
        return out;
    }

    /** Answers the execute requests queued behind a failed cell with "aborted"; others run. */
    private void abortQueued(List<Message> behind, Replier replier) {
        for (Message next : behind) {
            if ("execute_request".equals(next.type())) {
                Message queued = next;
                core.status(queued, "busy");
                JsonObject aborted = new JsonObject();
                aborted.addProperty("status", "aborted");
                aborted.addProperty("execution_count", executionCount);
                aborted.add("user_expressions", new JsonObject());
                aborted.add("payload", new JsonArray());
                replier.reply(queued, "execute_reply", aborted);
                core.status(queued, "idle");
                LOG.info(() -> "aborted queued execute_request " + queued.id() + " after an error");
            } else {
                core.dispatchShell(next, replier);
            }
        }
    }

    Engine.Completeness isComplete(String code) {
        if (code.stripLeading().startsWith("%%")) return new Engine.Completeness("complete", "");
        if (Magics.hasMagic(code)) return new Engine.Completeness("complete", "");
        return engine.isComplete(code);
    }

    void history(Message m, Replier replier) {
        boolean output = m.flag("output", false);
        String access = m.text("hist_access_type", "tail");
        JsonArray rows = switch (access) {
            case "range" -> history.range(m.integer("session", 0), m.integer("start", 0), m.integer("stop", 0), output);
            case "search" -> history.search(m.text("pattern", "*"), m.integer("n", 0), m.flag("unique", false), output);
            default -> history.tail(m.integer("n", 10), output);
        };
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.add("history", rows);
        replier.reply(m, "history_reply", content);
    }

    private void publish(CellContext cell, String type, JsonObject content) {
        core.publisher().publish(cell, type, content);
    }

}
