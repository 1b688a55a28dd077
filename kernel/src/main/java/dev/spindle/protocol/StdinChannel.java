package dev.spindle.protocol;

import com.google.gson.JsonObject;
import dev.spindle.output.CellContexts;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Sends input_request and waits for input_reply on behalf of cell threads. The socket lives
 * on its own thread: cell threads get interrupted on a stop, and an interrupt inside ZeroMQ
 * would break the socket for good, so they only ever wait on a future.
 */
final class StdinChannel implements CellPublisher.InputChannel, Runnable {
    private record Request(CellOrigins.Origin origin, String prompt, boolean password,
                           CompletableFuture<String> answer) {
    }

    private final Channel stdin;
    private final ZContext context;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    StdinChannel(Channel stdin, ZContext context) {
        this.stdin = stdin;
        this.context = context;
    }

    @Override
    public String readLine(CellOrigins.Origin origin, String prompt, boolean password) throws InterruptedException {
        Request r = new Request(origin, prompt, password, new CompletableFuture<>());
        requests.add(r);
        try {
            return r.answer.get();
        } catch (InterruptedException e) {
            r.answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("input failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void run() {
        CellContexts.markKernelThread();
        ZMQ.Poller poller = context.createPoller(1);
        poller.register(stdin.socket, ZMQ.Poller.POLLIN);
        try {
            while (true) {
                Request r = requests.take();
                if (r.answer.isDone()) continue;
                JsonObject content = new JsonObject();
                content.addProperty("prompt", r.prompt);
                content.addProperty("password", r.password);
                Message request = stdin.codec.create(r.origin.identities(), "input_request", r.origin.header(), content);
                stdin.send(request);
                // Wait for the matching reply; short poll slices let a cancelled request go.
                while (!r.answer.isDone()) {
                    if (poller.poll(200) < 0) return;
                    if (!poller.pollin(0)) continue;
                    Message reply = stdin.receiveNow();
                    if (reply == null || !"input_reply".equals(reply.type())) continue;
                    if (!request.id().equals(Message.string(reply.parentHeader(), "msg_id"))
                            && reply.parentHeader().size() > 0) continue;
                    r.answer.complete(reply.text("value", ""));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // context closed: shutting down
        }
    }
}
