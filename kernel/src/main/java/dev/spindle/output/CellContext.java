package dev.spindle.output;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who owns output: the request that started a cell (its header becomes the parent header of
 * everything the cell, its threads and its child processes publish). Threads inherit the
 * context of the thread that created them, so output follows work, not time.
 *
 * @param request        header of the execute_request (the parent of all output)
 * @param identities     ZeroMQ routing identities of the requester, for input requests
 * @param executionCount the cell's execution count, or 0 when silent
 * @param allowStdin     whether the frontend accepts input requests for this cell
 */
public record CellContext(JsonObject request, List<byte[]> identities, int executionCount,
                          boolean allowStdin, OutputBudget budget) {

    public String msgId() {
        return request.has("msg_id") ? request.get("msg_id").getAsString() : "";
    }

    /** Bytes of stream text a cell may publish before the rest is dropped with a notice. */
    public static final class OutputBudget {
        final long limit;
        final AtomicLong published = new AtomicLong();
        final AtomicLong droppedBytes = new AtomicLong();
        final AtomicLong droppedLines = new AtomicLong();
        volatile boolean noticeSent;

        public OutputBudget(long limit) {
            this.limit = limit;
        }

        public long droppedBytes() {
            return droppedBytes.get();
        }
    }
}
