package dev.spindle.protocol;

import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.security.GeneralSecurityException;

/**
 * Binds the five Jupyter sockets described by a connection file. The connection-file model
 * and the HMAC come from basekernel; each channel gets its own generator and codec.
 */
final class Sockets implements AutoCloseable {
    /** Larger messages are refused by ZeroMQ itself rather than filling the heap. */
    private static final long MAX_MESSAGE_BYTES = 256L << 20;

    final ZContext context = new ZContext(1);
    final Channel shell, control, stdin, iopub;
    final ZMQ.Socket heartbeat;

    Sockets(KernelConnectionProperties props, String session) throws GeneralSecurityException {
        context.setLinger(0);
        shell = channel("shell", SocketType.ROUTER, props, props.getShellPort(), session);
        control = channel("control", SocketType.ROUTER, props, props.getControlPort(), session);
        stdin = channel("stdin", SocketType.ROUTER, props, props.getStdinPort(), session);
        iopub = channel("iopub", SocketType.PUB, props, props.getIopubPort(), session);
        iopub.socket.setSndHWM(0);
        heartbeat = context.createSocket(SocketType.REP);
        heartbeat.bind(address(props, props.getHbPort()));
    }

    private Channel channel(String name, SocketType type, KernelConnectionProperties props, int port,
                            String session) throws GeneralSecurityException {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setMaxMsgSize(MAX_MESSAGE_BYTES);
        socket.setLinger(1000);
        socket.bind(address(props, port));
        HMACGenerator hmac = props.createHMACGenerator();
        boolean signed = props.getKey() != null && !props.getKey().isEmpty();
        return new Channel(name, socket, new WireCodec(hmac, signed, session));
    }

    private static String address(KernelConnectionProperties props, int port) {
        String transport = props.getTransport() == null ? "tcp" : props.getTransport();
        return "ipc".equals(transport)
                ? "ipc://" + props.getIp() + "-" + port
                : transport + "://" + props.getIp() + ":" + port;
    }

    @Override
    public void close() {
        context.close();
    }
}
