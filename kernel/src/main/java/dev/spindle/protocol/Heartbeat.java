package dev.spindle.protocol;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** Echoes heartbeat pings; a blocking receive, so it costs nothing while idle. */
final class Heartbeat implements Runnable {
    private final ZMQ.Socket socket;

    Heartbeat(ZMQ.Socket socket) {
        this.socket = socket;
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] ping = socket.recv(0);
                if (ping == null) return;
                socket.send(ping, 0);
            }
        } catch (ZMQException | IllegalStateException e) {
            // The context was closed: the kernel is shutting down.
        }
    }
}
