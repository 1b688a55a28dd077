package dev.spindle.protocol;

import dev.spindle.output.KernelThread;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Binds the five Jupyter sockets described by a connection file. Each channel gets its own
 * HMAC generator and codec. JeroMQ's own I/O threads are {@link KernelThread}s, so cell code
 * that interrupts every thread cannot break them. With CurveZMQ keys in the connection file,
 * every socket is a CURVE server with the kernel's key pair: all traffic is encrypted.
 */
final class Sockets implements AutoCloseable {
    /** Larger messages are refused by ZeroMQ itself rather than filling the heap. */
    private static final long MAX_MESSAGE_BYTES = 256L << 20;

    final ZContext context = new ZContext(1);
    final Channel shell, control, stdin, iopub;
    final ZMQ.Socket heartbeat;
    private final ConnectionFile file;

    Sockets(ConnectionFile file, String session) {
        this.file = file;
        context.setLinger(0);
        // Before the first socket: that is when JeroMQ starts its threads.
        context.setThreadFactor((task, name) -> KernelThread.create("spindle-zmq-" + name, task));
        shell = channel("shell", SocketType.ROUTER, file.shellPort(), session);
        control = channel("control", SocketType.ROUTER, file.controlPort(), session);
        stdin = channel("stdin", SocketType.ROUTER, file.stdinPort(), session);
        iopub = channel("iopub", SocketType.PUB, file.iopubPort(), session);
        iopub.socket.setSndHWM(0);
        heartbeat = socket(SocketType.REP);
        heartbeat.bind(file.address(file.hbPort()));
    }

    private Channel channel(String name, SocketType type, int port, String session) {
        ZMQ.Socket socket = socket(type);
        socket.setMaxMsgSize(MAX_MESSAGE_BYTES);
        socket.setLinger(1000);
        socket.bind(file.address(port));
        return new Channel(name, socket, new WireCodec(file.hmac(), file.signed(), session));
    }

    private ZMQ.Socket socket(SocketType type) {
        ZMQ.Socket socket = context.createSocket(type);
        if (file.curve()) {
            socket.setCurveServer(true);
            socket.setCurvePublicKey(ZMQ.Curve.z85Decode(file.curvePublicKey()));
            socket.setCurveSecretKey(ZMQ.Curve.z85Decode(file.curveSecretKey()));
        }
        return socket;
    }

    @Override
    public void close() {
        context.close();
    }
}
