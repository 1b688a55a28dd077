package dev.spindle.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.spindle.engine.Engine;
import dev.spindle.engine.Outcome;
import dev.spindle.output.CellContext;
import dev.spindle.output.DisplayService;
import dev.spindle.output.MimeBundle;
import dev.spindle.output.StreamRouter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One execute_request, up to its reply: execution count, execute_input, running the cell,
 * flushing its output, the result and history. It returns the reply rather than sending it:
 * what happens around the reply (stop-on-error) belongs to {@link KernelCore}.
 */
final class ExecuteHandler {
    private static final Logger LOG = Logger.getLogger(ExecuteHandler.class.getName());
    static final long OUTPUT_LIMIT = Long.getLong("spindle.outputLimit", 1_000_000L);

    /** How a cell ended: the reply to send and whether the requests queued behind it stop. */
    record Executed(CellContext cell, JsonObject reply, boolean failed, boolean stopOnError) {
        boolean stopsQueue() {
            return failed && stopOnError;
        }
    }

    private final Engine engine;
    private final StreamRouter streams;
    private final DisplayService displays;
    private final IOPub iopub;
    private final CellOrigins origins;
    private final History history = new History();
    private int executionCount;

    ExecuteHandler(Engine engine, StreamRouter streams, DisplayService displays, IOPub iopub, CellOrigins origins) {
        this.engine = engine;
        this.streams = streams;
        this.displays = displays;
        this.iopub = iopub;
        this.origins = origins;
    }

    /** The count of the latest stored cell; what an aborted request reports. */
    int executionCount() {
        return executionCount;
    }

    Executed run(Message m) {
        String code = m.text("code", "");
        boolean silent = m.flag("silent", false);
        boolean storeHistory = !silent && m.flag("store_history", true);
        boolean stopOnError = m.flag("stop_on_error", true);
        if (storeHistory) executionCount++;
        int count = executionCount;

        CellContext cell = new CellContext(storeHistory ? count : 0, m.flag("allow_stdin", false),
                new CellContext.OutputBudget(OUTPUT_LIMIT));
        origins.put(cell, m.header(), m.identities());
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            iopub.publish("execute_input", m.header(), input);
        }

        Outcome outcome = engine.execute(code, cell);
        streams.finishCell(cell);

        JsonObject reply = new JsonObject();
        String plainResult = null;
        if (outcome instanceof Outcome.Value v) {
            if (v.present() && !silent) {
                Map<String, String> data = new LinkedHashMap<>();
                data.put("text/plain", v.text());
                MimeBundle rich = safeRichTypes(v.value());
                if (rich != null) data.putAll(rich.data());
                JsonObject result = new JsonObject();
                result.addProperty("execution_count", count);
                result.add("data", CellPublisher.mimeData(data));
                result.add("metadata", new JsonObject());
                iopub.publish("execute_result", m.header(), result);
                plainResult = v.text();
            }
            reply.addProperty("status", "ok");
            reply.addProperty("execution_count", count);
            reply.add("user_expressions", userExpressions(m, cell));
            reply.add("payload", payload(v));
        } else {
            JsonObject error = failure((Outcome.Failure) outcome);
            if (!silent) iopub.publish("error", m.header(), error.deepCopy());
            reply = error;
            reply.addProperty("execution_count", count);
            reply.add("user_expressions", new JsonObject());
            reply.add("payload", new JsonArray());
        }
        if (storeHistory) history.add(count, code, plainResult);
        return new Executed(cell, reply, outcome instanceof Outcome.Failure, stopOnError);
    }

    /** After the reply: drops the cell's output buffer once it is empty (its threads may print on). */
    void replied(Executed done) {
        streams.forgetIdle(done.cell());
    }

    private MimeBundle safeRichTypes(Object value) {
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

    /** Documentation a cell asked for ({@code name?}) goes to the frontend's pager, as IPython's does. */
    private static JsonArray payload(Outcome.Value v) {
        JsonArray payload = new JsonArray();
        if (v.page() == null) return payload;
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", v.page().plainText());
        data.addProperty("text/markdown", v.page().markdown());
        JsonObject page = new JsonObject();
        page.addProperty("source", "page");
        page.add("data", data);
        page.addProperty("start", 0);
        payload.add(page);
        return payload;
    }
}
