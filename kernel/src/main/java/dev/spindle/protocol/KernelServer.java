package dev.spindle.protocol;

import dev.spindle.engine.Engine;
import dev.spindle.output.CellContexts;
import dev.spindle.output.DisplayService;
import dev.spindle.output.KernelThread;
import dev.spindle.output.Publisher;
import dev.spindle.output.StreamRouter;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Jupyter wire protocol, the package's front door: the sockets, one thread per socket family
 * (heartbeat, shell, control, stdin, IOPub), signing, and the {@link KernelCore} dispatch table.
 * The shell thread runs requests in order; control requests (interrupt, shutdown, kernel_info)
 * are answered while a cell runs. The protocol knows the {@link Engine} interface and the output
 * seams only; the kernel package builds everything else and hands it in.
 */
public final class KernelServer {
    private static final Logger LOG = Logger.getLogger(KernelServer.class.getName());
    private static final long START_FALLBACK_MS = 150;

    private final String session = UUID.randomUUID().toString();
    private final Sockets sockets;
    private final IOPubPublisher iopub;
    private final StdinChannel stdin;
    private final CellOrigins origins = new CellOrigins();
    private final CellPublisher publisher;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Runnable onBusy = () -> { }, onIdle = () -> { };

    /** Binds the sockets of the connection file; nothing is served until {@link #start}. */
    public KernelServer(ConnectionFile file) {
        CellContexts.markKernelThread();
        sockets = new Sockets(file, session);
        iopub = new IOPubPublisher(sockets.iopub);
        stdin = new StdinChannel(sockets.stdin, sockets.context);
        publisher = new CellPublisher(iopub, origins, stdin);
    }

    /** This kernel's session id (in every message header). */
    public String session() {
        return session;
    }

    /** Where cells' output and input requests go: IOPub and stdin, parented by each cell's request. */
    public Publisher publisher() {
        return publisher;
    }

    /** Hooks run when a request starts and when it ends (on shell and control alike). */
    public void onActivity(Runnable busy, Runnable idle) {
        onBusy = busy;
        onIdle = idle;
    }

    /**
     * Starts every loop and returns at once. {@code startEngine} runs after the first
     * kernel_info reply (or 150 ms, for a frontend that never asks) and again on each later one,
     * so it must be idempotent.
     */
    public void start(Engine engine, StreamRouter streams, DisplayService displays, String logPath,
                      Runnable startEngine) {
        ExecuteHandler execute = new ExecuteHandler(engine, streams, displays, iopub, origins);
        KernelCore core = new KernelCore(engine, iopub, execute, sockets.shell::receiveNow,
                KernelInfo.content(logPath), this::shutdown);
        core.onActivity(() -> onBusy.run(), () -> onIdle.run());

        daemon("spindle-iopub", iopub);
        daemon("spindle-heartbeat", new Heartbeat(sockets.heartbeat));
        daemon("spindle-stdin", stdin);
        daemon("spindle-control", () -> loop(sockets.control, core::dispatchControl));
        daemon("spindle-shell", () -> loop(sockets.shell, core::dispatchShell));
        core.status(null, "starting");

        // JShell's start takes most of the CPU for a second; starting it once the frontend has
        // its kernel_info reply keeps that reply fast. A frontend that never asks waits 150 ms.
        core.afterKernelInfo(startEngine);
        KernelThread.start("spindle-start-fallback", () -> {
            try {
                Thread.sleep(START_FALLBACK_MS);
            } catch (InterruptedException e) {
                // only the kernel itself can interrupt a kernel thread: start now
            }
            startEngine.run();
        });
    }

    private void loop(Channel channel, BiConsumer<Message, Replier> dispatch) {
        CellContexts.markKernelThread();
        Replier replier = (request, type, content) ->
                channel.send(channel.codec.create(request.identities(), type, request.header(), content));
        Message m;
        while ((m = channel.receive()) != null) {
            try {
                dispatch.accept(m, replier);
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, channel.name + " loop survived an error", t);
            }
        }
    }

    /** The kernel's own loops run on {@link KernelThread}s: cell code cannot interrupt them. */
    private static void daemon(String name, Runnable r) {
        KernelThread.start(name, r);
    }

    /**
     * Blocks until a shutdown request has been answered and IOPub has sent what was queued.
     * The caller is the JVM's main thread, which cell code can reach (it is in the thread
     * group every cell's group descends from): its interrupts are ignored here.
     */
    public void awaitShutdown() {
        while (true) {
            try {
                done.await();
                Thread.interrupted();
                return;
            } catch (InterruptedException e) {
                LOG.warning("the kernel's main thread was interrupted (by cell code?); still serving");
            }
        }
    }

    private void shutdown() {
        KernelThread.start("spindle-shutdown", () -> {
            try {
                iopub.drainAndStop(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
    }

    /** Closes the sockets; the JVM may exit after this. */
    public void close() {
        try {
            sockets.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing sockets", e);
        }
    }
}
