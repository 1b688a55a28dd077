package dev.spindle.kernel;

import dev.spindle.engine.Engine;
import dev.spindle.engine.JShellEngine;
import dev.spindle.internal.process.SharedMemory;
import dev.spindle.internal.process.WorkerRuntime;
import dev.spindle.magic.MagicEngine;
import dev.spindle.output.CellContexts;
import dev.spindle.output.DisplayService;
import dev.spindle.output.InputRouter;
import dev.spindle.output.StreamRouter;
import dev.spindle.protocol.ConnectionFile;
import dev.spindle.protocol.KernelServer;
import dev.spindle.timing.ChildCpuSource;
import dev.spindle.timing.CompileTime;

import java.io.PrintStream;

/**
 * The composition root: the one place that builds the kernel and knows every package. It
 * binds the protocol's sockets, builds the JShell engine with the magics around it, routes
 * System.out/err/in and displays to the protocol's publisher, hooks up workers and their
 * child-CPU accounting, trims memory when idle, and tears it all down on shutdown.
 */
public final class Kernel {
    private final KernelServer server;
    private final JShellEngine jshell;
    private final Engine engine;
    private final StreamRouter streams;
    private final DisplayService displays;
    private final WorkerRuntime workers;
    private final String logPath;

    public Kernel(ConnectionFile connection, String logPath, PrintStream kernelLog) throws Exception {
        CellContexts.markKernelThread();
        this.logPath = logPath;
        server = new KernelServer(connection);
        jshell = new JShellEngine(kernelLog);
        streams = new StreamRouter(server.publisher(), kernelLog);
        displays = new DisplayService(server.publisher(), streams, server.session());
        engine = new MagicEngine(jshell, streams);

        InputRouter input = new InputRouter(streams, server.publisher());
        streams.install();
        input.install();
        displays.install();
        KernelLog.routeCellRecords((cell, text) -> streams.print(cell, "stderr", text));
        workers = WorkerRuntime.start(jshell.notebookState());
        ChildCpuSource.register(workers::childCpuNanos);
        CompileTime.use(jshell::compileWallNanos, jshell::compileCpuNanos);
        jshell.addStopListener(workers::stopStartedIn);

        IdleTrim trim = new IdleTrim(jshell::whenIdle);
        server.onActivity(trim::busy, trim::idle);
        // Shared-memory directories of kernels that were killed (SIGKILL runs no hook). One
        // listing of the temp directory: done before the first reply, so it is done when a
        // client sees the kernel.
        SharedMemory.removeStale();
    }

    /** Serves until a shutdown request, then stops workers and JShell and closes the sockets. */
    public void run() throws InterruptedException {
        server.start(engine, streams, displays, logPath, jshell::start);
        server.awaitShutdown();
        workers.close();
        engine.close();
        server.close();
    }
}
