package dev.spindle.protocol;

import com.google.gson.JsonObject;
import dev.spindle.output.CellContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.spindle.protocol.CoreHarness.ofType;
import static dev.spindle.protocol.CoreHarness.replies;
import static dev.spindle.protocol.CoreHarness.state;
import static org.junit.jupiter.api.Assertions.*;

/** The protocol rules, driven through the core with a scripted engine: no socket, no JShell. */
class KernelCoreTest {
    private final CoreHarness k = new CoreHarness();

    private static void assertBusyIdleAround(Message request, List<CoreHarness.Sent> sent) {
        assertFalse(sent.isEmpty());
        CoreHarness.Sent first = sent.get(0), last = sent.get(sent.size() - 1);
        assertEquals("busy", state(first), "first is busy: " + sent);
        assertEquals("idle", state(last), "last is idle: " + sent);
        assertEquals(request.id(), first.parentId());
        assertEquals(request.id(), last.parentId());
    }

    @Test
    void everyRequestIsWrappedInBusyAndIdleAndEveryReplyHasAStatus() {
        List<Message> shell = List.of(k.execute("int x = 1;"), k.execute("fail now"),
                k.request("complete_request", "{\"code\":\"Sys\",\"cursor_pos\":3}"),
                k.request("inspect_request", "{\"code\":\"String\",\"cursor_pos\":2}"),
                k.request("is_complete_request", "{\"code\":\"x\"}"),
                k.request("history_request", "{\"hist_access_type\":\"tail\",\"n\":5}"),
                k.request("comm_info_request", "{}"),
                k.request("kernel_info_request", "{}"),
                k.request("no_such_request", "{}"));
        for (Message m : shell) {
            List<CoreHarness.Sent> sent = k.shell(m);
            assertBusyIdleAround(m, sent);
            List<CoreHarness.Sent> replies = replies(sent);
            assertEquals(1, replies.size(), m.type() + ": " + sent);
            assertEquals(m.type().replace("_request", "_reply"), replies.get(0).type());
            assertTrue(replies.get(0).content().has("status"), m.type() + " reply has a status");
            assertEquals(m.id(), replies.get(0).parentId());
        }
        for (Message m : List.of(k.request("interrupt_request", "{}"), k.request("kernel_info_request", "{}"))) {
            List<CoreHarness.Sent> sent = k.control(m);
            assertBusyIdleAround(m, sent);
            assertEquals("ok", replies(sent).get(0).content().get("status").getAsString());
        }
        assertEquals(1, k.engine.interrupts);
    }

    @Test
    void anUnknownRequestGetsAnErrorReplyAndOtherUnknownMessagesNone() {
        JsonObject reply = replies(k.shell(k.request("frobnicate_request", "{}"))).get(0).content();
        assertEquals("error", reply.get("status").getAsString());
        assertEquals("UnknownRequest", reply.get("ename").getAsString());
        assertTrue(reply.has("traceback"));

        Message notice = k.request("frobnicate_notice", "{}");
        List<CoreHarness.Sent> sent = k.shell(notice);
        assertBusyIdleAround(notice, sent);
        assertTrue(replies(sent).isEmpty());
        assertTrue(replies(k.control(k.request("execute_request", "{}"))).get(0).content()
                .get("status").getAsString().equals("error"), "control does not run cells");
    }

    @Test
    void anExecuteRequestWithWrongTypesIsAnsweredWithAnErrorNamingTheFieldAndNotRun() {
        String[][] cases = {
                {"{\"code\": 42}", "'code'"},
                {"{}", "'code'"},
                {"{\"code\": \"1\", \"silent\": \"false\"}", "'silent'"},
                {"{\"code\": \"1\", \"allow_stdin\": 0}", "'allow_stdin'"},
                {"{\"code\": \"1\", \"user_expressions\": {\"a\": 1}}", "'user_expressions'"},
        };
        for (String[] c : cases) {
            Message m = k.request("execute_request", c[0]);
            List<CoreHarness.Sent> sent = k.shell(m);
            assertBusyIdleAround(m, sent);
            JsonObject reply = replies(sent).get(0).content();
            assertEquals("error", reply.get("status").getAsString(), c[0]);
            assertTrue(reply.get("evalue").getAsString().contains(c[1]), reply.toString());
            assertTrue(reply.has("execution_count"), reply.toString());
            assertEquals(1, ofType(sent, "error").size(), "shown in the frontend too: " + sent);
        }
        assertTrue(k.engine.cells.isEmpty(), "no bad request reached the engine");
    }

    @Test
    void aRequestWhoseContentIsNotAnObjectGetsAnErrorReply() {
        Message good = k.request("complete_request", "{}");
        Message bad = Message.withBadContent(good.identities(), good.header(), good.parentHeader(), good.metadata(),
                good.buffers(), "content is not a JSON object (got an array)");
        JsonObject reply = replies(k.shell(bad)).get(0).content();
        assertEquals("complete_reply", replies(k.shell(bad)).get(0).type());
        assertEquals("error", reply.get("status").getAsString());
        assertTrue(reply.get("evalue").getAsString().contains("content"), reply.toString());
    }

    @Test
    void executionCountCountsStoredCellsOnly() {
        JsonObject first = replies(k.shell(k.execute("a"))).get(0).content();
        assertEquals(1, first.get("execution_count").getAsInt());

        List<CoreHarness.Sent> noHistory = k.shell(k.execute("b", "\"store_history\": false"));
        assertEquals(1, replies(noHistory).get(0).content().get("execution_count").getAsInt());
        assertEquals(1, ofType(noHistory, "execute_input").size(), "not silent: input is still published");
        assertEquals(0, k.engine.cells.get(1).executionCount(), "an unstored cell has no number");

        assertEquals(2, replies(k.shell(k.execute("c"))).get(0).content().get("execution_count").getAsInt());
        List<CoreHarness.Sent> history = k.shell(k.request("history_request", "{\"hist_access_type\":\"tail\",\"n\":10}"));
        assertEquals(2, replies(history).get(0).content().getAsJsonArray("history").size(), "a and c, not b");
    }

    @Test
    void aSilentCellPublishesNothingButItsStatusAndIsNotCounted() {
        List<CoreHarness.Sent> sent = k.shell(k.execute("value 42", "\"silent\": true"));
        assertEquals(List.of("status", "status"), sent.stream().filter(s -> s.channel().equals("iopub"))
                .map(CoreHarness.Sent::type).toList());
        assertEquals("ok", replies(sent).get(0).content().get("status").getAsString());
        assertEquals(0, replies(sent).get(0).content().get("execution_count").getAsInt());

        List<CoreHarness.Sent> failing = k.shell(k.execute("fail quietly", "\"silent\": true"));
        assertTrue(ofType(failing, "error").isEmpty(), "a silent failure publishes no error");
        assertEquals("error", replies(failing).get(0).content().get("status").getAsString());
    }

    @Test
    void aValueIsPublishedAsTheResultBeforeTheReply() {
        Message m = k.execute("value 42");
        List<CoreHarness.Sent> sent = k.shell(m);
        List<String> types = sent.stream().map(CoreHarness.Sent::type).toList();
        assertEquals(List.of("status", "execute_input", "execute_result", "execute_reply", "status"), types);
        CoreHarness.Sent result = ofType(sent, "execute_result").get(0);
        assertEquals("42", result.content().getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals(m.id(), result.parentId());
    }

    @Test
    void executeRequestsQueuedWhileACellFailsAreAbortedOthersRun() {
        Message queuedRun = k.execute("never run"), queuedInfo = k.request("kernel_info_request", "{}"),
                queuedRun2 = k.execute("nor this");
        k.engine.whileRunning.put("fail here", cell -> {
            k.shellQueue.add(queuedRun);
            k.shellQueue.add(queuedInfo);
            k.shellQueue.add(queuedRun2);
        });
        Message failing = k.execute("fail here");
        List<CoreHarness.Sent> sent = k.shell(failing);

        assertEquals(List.of("fail here"), k.engine.executed);
        List<CoreHarness.Sent> replies = replies(sent);
        assertEquals(List.of("execute_reply", "execute_reply", "kernel_info_reply", "execute_reply"),
                replies.stream().map(CoreHarness.Sent::type).toList());
        assertEquals("error", replies.get(0).content().get("status").getAsString());
        assertEquals(failing.id(), replies.get(0).parentId(), "the failure is answered first");
        for (int i : new int[]{1, 3}) {
            assertEquals("aborted", replies.get(i).content().get("status").getAsString());
            assertEquals(1, replies.get(i).content().get("execution_count").getAsInt());
        }
        assertEquals(queuedRun.id(), replies.get(1).parentId());
        assertEquals(queuedRun2.id(), replies.get(3).parentId());
        // Each aborted request has its own busy/idle, and the failed one ends idle last.
        assertEquals(4, sent.stream().filter(s -> "busy".equals(state(s))).count());
        assertEquals(failing.id(), sent.get(sent.size() - 1).parentId());
        assertTrue(k.shellQueue.isEmpty());

        // A request sent after the failure's reply is not behind it: it runs.
        k.shell(k.execute("after"));
        assertEquals(List.of("fail here", "after"), k.engine.executed);
    }

    @Test
    void anAbortedCellSaysWhyItDidNotRun() {
        Message queued = k.execute("never run"), quiet = k.execute("nor this", "\"silent\": true");
        k.engine.whileRunning.put("fail now", cell -> {
            k.shellQueue.add(queued);
            k.shellQueue.add(quiet);
        });
        List<CoreHarness.Sent> sent = k.shell(k.execute("fail now"));
        List<CoreHarness.Sent> notes = ofType(sent, "stream");
        assertEquals(1, notes.size(), "one note, none for the silent request: " + sent);
        assertEquals(queued.id(), notes.get(0).parentId());
        assertEquals("stderr", notes.get(0).content().get("name").getAsString());
        assertEquals("not run: an earlier cell [1] failed (Boom)\n", notes.get(0).content().get("text").getAsString());
    }

    @Test
    void withStopOnErrorFalseQueuedRequestsStayQueued() {
        Message queued = k.execute("later");
        k.engine.whileRunning.put("fail soft", cell -> k.shellQueue.add(queued));
        List<CoreHarness.Sent> sent = k.shell(k.execute("fail soft", "\"stop_on_error\": false"));
        assertEquals(1, replies(sent).size());
        assertEquals(List.of(queued), List.copyOf(k.shellQueue));
    }

    @Test
    void aSucceedingCellLeavesTheQueueAlone() {
        Message queued = k.execute("later");
        k.engine.whileRunning.put("fine", cell -> k.shellQueue.add(queued));
        k.shell(k.execute("fine"));
        assertEquals(List.of(queued), List.copyOf(k.shellQueue));
    }

    @Test
    void outputAfterTheReplyStillHasTheCellsRequestAsParent() {
        Message m = k.execute("spawn");
        k.shell(m);
        k.shell(k.execute("another"));
        CellContext first = k.engine.cells.get(0);
        k.streams.print(first, "stdout", "late\n");
        k.streams.flush(first);
        CoreHarness.Sent stream = ofType(k.sent, "stream").get(0);
        assertEquals(m.id(), stream.parentId());
        assertEquals("late\n", stream.content().get("text").getAsString());
        assertEquals("stdout", stream.content().get("name").getAsString());
    }

    @Test
    void isCompleteIsTheEnginesAnswer() {
        k.engine.completeness = new dev.spindle.engine.Engine.Completeness("incomplete", "    ");
        JsonObject reply = replies(k.shell(k.request("is_complete_request", "{\"code\":\"for (;;) {\"}"))).get(0).content();
        assertEquals("incomplete", reply.get("status").getAsString());
        assertEquals("    ", reply.get("indent").getAsString());
    }

    @Test
    void shutdownIsAnsweredOnBothChannelsThenRuns() {
        Message m = k.request("shutdown_request", "{\"restart\":false}");
        List<CoreHarness.Sent> sent = k.control(m);
        assertEquals(1, k.shutdowns);
        assertEquals("ok", replies(sent).get(0).content().get("status").getAsString());
        assertEquals(1, sent.stream().filter(s -> s.channel().equals("iopub") && s.type().equals("shutdown_reply")).count());
    }

    @Test
    void aCommOpenIsClosedAtOnce() {
        List<CoreHarness.Sent> sent = k.shell(k.request("comm_open", "{\"comm_id\":\"c1\",\"target_name\":\"t\"}"));
        assertEquals("c1", ofType(sent, "comm_close").get(0).content().get("comm_id").getAsString());
        assertTrue(replies(sent).isEmpty());
    }
}
