package dev.spindle.protocol;

import dev.spindle.internal.process.WorkerRuntime;
import dev.spindle.timing.ChildCpuSource;
import dev.spindle.engine.JShellEngine;
import dev.spindle.output.CellContexts;
import dev.spindle.output.Display;
import dev.spindle.output.DisplayService;
import dev.spindle.output.InputRouter;
import dev.spindle.output.StreamRouter;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wires the kernel: sockets, one thread per socket family (heartbeat, shell, control, stdin,
 * IOPub), the engine and the output routing. The shell thread runs requests in order; control
 * requests (interrupt, shutdown, kernel_info) are answered while a cell runs.
 */
public final class KernelServer {
    private static final Logger LOG = Logger.getLogger(KernelServer.class.getName());

    private final Sockets sockets;
    private final IOPubPublisher iopub;
    private final KernelCore core;
    private final JShellEngine engine;
    private final StdinChannel stdin;
    private final WorkerRuntime workers;
    private final CountDownLatch done = new CountDownLatch(1);
    private static final long START_FALLBACK_MS = 150;

    public KernelServer(KernelConnectionProperties props, String logPath, PrintStream kernelLog) throws Exception {
        CellContexts.markKernelThread();
        String session = UUID.randomUUID().toString();
        sockets = new Sockets(props, session);
        iopub = new IOPubPublisher(sockets.iopub);
        engine = new JShellEngine(kernelLog);

        // The core is created before output routing exists; routing publishes through it.
        ExecuteHandler[] execute = new ExecuteHandler[1];
        KernelCore[] coreRef = new KernelCore[1];
        StreamRouter streams = new StreamRouter((cell, type, content) -> coreRef[0].publisher().publish(cell, type, content), kernelLog);
        DisplayService displays = new DisplayService((cell, type, content) -> coreRef[0].publisher().publish(cell, type, content), streams, session);
        execute[0] = new ExecuteHandler(engine, streams, displays);
        core = new KernelCore(engine, iopub, sockets.iopub.codec, execute[0], logPath, this::shutdown);
        coreRef[0] = core;
        execute[0].wire(core, sockets.shell::receiveNow);

        stdin = new StdinChannel(sockets.stdin, sockets.context);
        InputRouter input = new InputRouter(streams);
        input.setProvider(stdin);
        streams.install();
        input.install();
        Display.install(displays);
        workers = WorkerRuntime.start(engine.notebookState());
        ChildCpuSource.register(workers::childCpuNanos);
        engine.addStopListener(workers::stopStartedIn);
    }

    /** Starts every loop and JShell's warm-up; returns at once. */
    public void start() {
        daemon("spindle-iopub", iopub);
        daemon("spindle-heartbeat", new Heartbeat(sockets.heartbeat));
        daemon("spindle-stdin", stdin);
        daemon("spindle-control", () -> loop(sockets.control, core::dispatchControl));
        daemon("spindle-shell", () -> loop(sockets.shell, core::dispatchShell));
        core.status(null, "starting");

        // JShell's start takes most of the CPU for a second; starting it once the frontend has
        // its kernel_info reply keeps that reply fast. A frontend that never asks waits 150 ms.
        core.afterKernelInfo(engine::start);
        Thread fallback = new Thread(() -> {
            try {
                Thread.sleep(START_FALLBACK_MS);
            } catch (InterruptedException e) {
                return;
            }
            engine.start();
        }, "spindle-start-fallback");
        fallback.setDaemon(true);
        fallback.start();
    }

    private void loop(Channel channel, java.util.function.BiConsumer<Message, Replier> dispatch) {
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

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(() -> {
            CellContexts.markKernelThread();
            r.run();
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Hooks run when a request starts and when it ends (on shell and control alike). */
    public void onActivity(Runnable busy, Runnable idle) {
        core.onActivity(busy, idle);
    }

    /** Blocks until a shutdown request has been handled. */
    public void awaitShutdown() throws InterruptedException {
        done.await();
    }

    private void shutdown() {
        Thread t = new Thread(() -> {
            try {
                iopub.drainAndStop(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.close();
            engine.close();
            done.countDown();
        }, "spindle-shutdown");
        t.setDaemon(true);
        t.start();
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
