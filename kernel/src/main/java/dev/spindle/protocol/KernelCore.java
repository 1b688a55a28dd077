package dev.spindle.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.spindle.engine.Engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The protocol state machine: one table from message type to handler per channel, busy/idle
 * around every request, a reply with {@code status} for everything, including requests this
 * kernel does not know, and stop-on-error. Handlers run on the thread that owns the channel.
 * No sockets here: messages come in as {@link Message}s and leave through a {@link Replier} and
 * {@link IOPub}, so tests drive the core with a fake engine.
 */
final class KernelCore {
    private static final Logger LOG = Logger.getLogger(KernelCore.class.getName());

    interface Handler {
        void handle(Message request, Replier replier);
    }

    private final Map<String, Handler> shellHandlers = new HashMap<>();
    private final Map<String, Handler> controlHandlers = new HashMap<>();
    private final Engine engine;
    private final IOPub iopub;
    private final ExecuteHandler execute;
    private final Supplier<Message> pendingShell;
    private final JsonObject kernelInfo;
    private final Runnable shutdown;
    private volatile Runnable afterKernelInfo = () -> { };
    private volatile Runnable onBusy = () -> { }, onIdle = () -> { };

    /**
     * @param pendingShell the next shell request already queued, or null; read only after a
     *                     failed cell, for the requests that arrived while it ran
     * @param shutdown     runs once a shutdown request has been answered
     */
    KernelCore(Engine engine, IOPub iopub, ExecuteHandler execute, Supplier<Message> pendingShell,
               JsonObject kernelInfo, Runnable shutdown) {
        this.engine = engine;
        this.iopub = iopub;
        this.execute = execute;
        this.pendingShell = pendingShell;
        this.kernelInfo = kernelInfo;
        this.shutdown = shutdown;

        shellHandlers.put("execute_request", this::execute);
        shellHandlers.put("complete_request", this::complete);
        shellHandlers.put("inspect_request", this::inspect);
        shellHandlers.put("is_complete_request", this::isComplete);
        shellHandlers.put("history_request", execute::history);
        shellHandlers.put("comm_info_request", this::commInfo);
        shellHandlers.put("kernel_info_request", this::kernelInfo);
        shellHandlers.put("shutdown_request", this::shutdown);
        shellHandlers.put("comm_open", this::commOpen);
        shellHandlers.put("comm_msg", (m, r) -> { });
        shellHandlers.put("comm_close", (m, r) -> { });

        controlHandlers.put("kernel_info_request", this::kernelInfo);
        controlHandlers.put("shutdown_request", this::shutdown);
        controlHandlers.put("interrupt_request", this::interrupt);
    }

    void dispatchShell(Message m, Replier replier) {
        dispatch(shellHandlers, m, replier);
    }

    void dispatchControl(Message m, Replier replier) {
        dispatch(controlHandlers, m, replier);
    }

    /** Hooks around every request, e.g. to trim memory once the kernel is idle. */
    void onActivity(Runnable busy, Runnable idle) {
        onBusy = busy;
        onIdle = idle;
    }

    private void dispatch(Map<String, Handler> table, Message m, Replier replier) {
        onBusy.run();
        status(m, "busy");
        try {
            Handler h = table.get(m.type());
            if (h != null) {
                h.handle(m, replier);
            } else {
                unknown(m, replier);
            }
        } catch (RuntimeException | Error e) {
            // A handler bug must not take the channel's thread down with it.
            LOG.log(java.util.logging.Level.SEVERE, "handler for " + m.type() + " failed", e);
            if (m.type().endsWith("_request")) {
                replier.reply(m, m.type().replace("_request", "_reply"),
                        error("KernelError", String.valueOf(e)));
            }
        } finally {
            status(m, "idle");
            onIdle.run();
        }
    }

    private void unknown(Message m, Replier replier) {
        LOG.warning(() -> "unknown message type '" + m.type() + "'");
        if (m.type().endsWith("_request")) {
            replier.reply(m, m.type().substring(0, m.type().length() - "_request".length()) + "_reply",
                    error("UnknownRequest", "Spindle does not handle '" + m.type() + "' messages"));
        }
    }

    static JsonObject error(String ename, String evalue) {
        JsonObject c = new JsonObject();
        c.addProperty("status", "error");
        c.addProperty("ename", ename);
        c.addProperty("evalue", evalue);
        c.add("traceback", new JsonArray());
        return c;
    }

    void status(Message parent, String state) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        iopub.publish("status", parent == null ? null : parent.header(), c);
    }

    private void execute(Message m, Replier r) {
        ExecuteHandler.Executed done = execute.run(m);
        // Only what was queued while the cell ran is "behind" it: collect that before the reply,
        // or a client that answers the reply at once would see its next request aborted.
        List<Message> behind = new ArrayList<>();
        if (done.stopsQueue()) {
            Message next;
            while ((next = pendingShell.get()) != null) behind.add(next);
        }
        r.reply(m, "execute_reply", done.reply());
        execute.replied(done);
        stopOnError(behind, r);
    }

    /**
     * Stop-on-error: the execute requests queued behind a failed cell are answered
     * {@code aborted} without running (each inside its own busy/idle); other requests run.
     */
    private void stopOnError(List<Message> behind, Replier r) {
        for (Message next : behind) {
            if (!"execute_request".equals(next.type())) {
                dispatchShell(next, r);
                continue;
            }
            status(next, "busy");
            JsonObject aborted = new JsonObject();
            aborted.addProperty("status", "aborted");
            aborted.addProperty("execution_count", execute.executionCount());
            aborted.add("user_expressions", new JsonObject());
            aborted.add("payload", new JsonArray());
            r.reply(next, "execute_reply", aborted);
            status(next, "idle");
            LOG.info(() -> "aborted queued execute_request " + next.id() + " after an error");
        }
    }

    private void kernelInfo(Message m, Replier r) {
        r.reply(m, "kernel_info_reply", kernelInfo.deepCopy());
        afterKernelInfo.run();
    }

    /** Runs after every kernel_info reply (the first one starts JShell). */
    void afterKernelInfo(Runnable r) {
        afterKernelInfo = r;
    }

    private void complete(Message m, Replier r) {
        String code = m.text("code", "");
        int cursor = Codepoints.toIndex(code, m.integer("cursor_pos", code.codePointCount(0, code.length())));
        Engine.Completion c = engine.complete(code, cursor);
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        JsonArray matches = new JsonArray();
        c.matches().forEach(matches::add);
        content.add("matches", matches);
        content.addProperty("cursor_start", Codepoints.toCodepoint(code, c.start()));
        content.addProperty("cursor_end", Codepoints.toCodepoint(code, c.end()));
        // JupyterLab shows each match's kind and signature from this (IPython sends the same).
        JsonArray types = new JsonArray();
        for (Engine.Kind k : c.kinds()) {
            JsonObject t = new JsonObject();
            t.addProperty("start", Codepoints.toCodepoint(code, c.start()));
            t.addProperty("end", Codepoints.toCodepoint(code, c.end()));
            t.addProperty("text", k.match());
            t.addProperty("type", k.type());
            t.addProperty("signature", k.signature());
            types.add(t);
        }
        JsonObject metadata = new JsonObject();
        if (!types.isEmpty()) metadata.add("_jupyter_types_experimental", types);
        content.add("metadata", metadata);
        r.reply(m, "complete_reply", content);
    }

    private void inspect(Message m, Replier r) {
        String code = m.text("code", "");
        int cursor = Codepoints.toIndex(code, m.integer("cursor_pos", code.codePointCount(0, code.length())));
        var found = engine.inspect(code, cursor);
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.addProperty("found", found.isPresent());
        JsonObject data = new JsonObject();
        found.ifPresent(i -> {
            data.addProperty("text/plain", i.plainText());
            data.addProperty("text/markdown", i.markdown());
        });
        content.add("data", data);
        content.add("metadata", new JsonObject());
        r.reply(m, "inspect_reply", content);
    }

    private void isComplete(Message m, Replier r) {
        Engine.Completeness c = engine.isComplete(m.text("code", ""));
        JsonObject content = new JsonObject();
        content.addProperty("status", c.status());
        if (c.status().equals("incomplete")) content.addProperty("indent", c.indent());
        r.reply(m, "is_complete_reply", content);
    }

    private void commInfo(Message m, Replier r) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.add("comms", new JsonObject());
        r.reply(m, "comm_info_reply", content);
    }

    /** No comm targets yet: close what a frontend opens, as the spec asks. */
    private void commOpen(Message m, Replier r) {
        JsonObject c = new JsonObject();
        c.addProperty("comm_id", m.text("comm_id", ""));
        c.add("data", new JsonObject());
        iopub.publish("comm_close", m.header(), c);
    }

    private void interrupt(Message m, Replier r) {
        engine.interrupt();
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        r.reply(m, "interrupt_reply", content);
    }

    private void shutdown(Message m, Replier r) {
        boolean restart = m.flag("restart", false);
        LOG.info(() -> "shutdown requested (restart=" + restart + ")");
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.addProperty("restart", restart);
        r.reply(m, "shutdown_reply", content);
        iopub.publish("shutdown_reply", m.header(), content.deepCopy());
        status(m, "idle");
        shutdown.run();
    }
}
