package dev.spindle.protocol;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One ZeroMQ socket and the codec that reads and writes it. Not thread-safe, like the socket
 * it wraps: exactly one thread owns each channel.
 */
final class Channel {
    private static final Logger LOG = Logger.getLogger(Channel.class.getName());

    final String name;
    final ZMQ.Socket socket;
    final WireCodec codec;

    Channel(String name, ZMQ.Socket socket, WireCodec codec) {
        this.name = name;
        this.socket = socket;
        this.codec = codec;
    }

    /**
     * Blocks until a well-formed, correctly signed message arrives. Bad messages are logged
     * and dropped here, so no handler ever sees one. Returns null when the socket closes.
     */
    Message receive() {
        while (true) {
            List<byte[]> frames = receiveFrames(0);
            if (frames == null) return null;
            Message m = decodeOrLog(frames);
            if (m != null) return m;
        }
    }

    /** Like {@link #receive()} but returns null at once when nothing is queued. */
    Message receiveNow() {
        while (true) {
            List<byte[]> frames = receiveFrames(ZMQ.DONTWAIT);
            if (frames == null) return null;
            Message m = decodeOrLog(frames);
            if (m != null) return m;
        }
    }

    private Message decodeOrLog(List<byte[]> frames) {
        try {
            return codec.decode(frames);
        } catch (BadMessageException e) {
            long size = frames.stream().mapToLong(f -> f.length).sum();
            LOG.warning(() -> "dropped message on " + name + " (" + frames.size() + " frames, "
                    + size + " bytes): " + e.getMessage());
            return null;
        }
    }

    private List<byte[]> receiveFrames(int flags) {
        try {
            byte[] first = socket.recv(flags);
            if (first == null) return null;
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) frames.add(socket.recv(0));
            return frames;
        } catch (ZMQException | IllegalStateException e) {
            if (!closing(e)) LOG.log(Level.WARNING, "receive failed on " + name, e);
            return null;
        }
    }

    void send(Message m) {
        List<byte[]> frames = codec.encode(m);
        try {
            for (int i = 0; i < frames.size(); i++) {
                socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        } catch (ZMQException | IllegalStateException e) {
            if (!closing(e)) LOG.log(Level.WARNING, "send failed on " + name + " for " + m.type(), e);
        }
    }

    private static boolean closing(RuntimeException e) {
        return e instanceof ZMQException z && (z.getErrorCode() == ZMQ.Error.ETERM.getCode()
                || z.getErrorCode() == ZMQ.Error.EINTR.getCode());
    }
}
