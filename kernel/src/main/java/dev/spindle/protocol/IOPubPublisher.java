package dev.spindle.protocol;

import com.google.gson.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The only owner of the IOPub socket. Every other thread hands messages to {@link #publish};
 * this thread signs and sends them in order.
 */
final class IOPubPublisher implements IOPub, Runnable {
    private static final Message POISON = new Message(List.of(), null, null, null, null, List.of());

    private final Channel iopub;
    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    IOPubPublisher(Channel iopub) {
        this.iopub = iopub;
    }

    @Override
    public void publish(String type, JsonObject parentHeader, JsonObject content) {
        // Headers are made here, on the caller's thread: their dates keep the callers' order.
        queue.add(iopub.codec.create(List.of(), type, parentHeader, content));
    }

    @Override
    public void run() {
        try {
            while (true) {
                Message m;
                try {
                    m = queue.take();
                } catch (InterruptedException e) {
                    // Not a way to stop this thread (that is the poison message): an interrupt
                    // here must not silence every cell's output for good.
                    continue;
                }
                if (m == POISON) return;
                iopub.send(new Message(List.of(("kernel." + m.type()).getBytes(StandardCharsets.UTF_8)),
                        m.header(), m.parentHeader(), m.metadata(), m.content(), m.buffers()));
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Sends what is queued, then stops; waits at most {@code millis}. */
    void drainAndStop(long millis) throws InterruptedException {
        queue.add(POISON);
        stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
