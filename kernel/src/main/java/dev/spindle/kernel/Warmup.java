package dev.spindle.kernel;

import dev.spindle.engine.JShellEngine;
import dev.spindle.output.CellContext;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

import java.io.PrintStream;
import java.util.List;

/**
 * Loads what a kernel session loads (ZeroMQ sockets, JSON, JShell and javac, one cell, and
 * one offline {@code %maven} resolution), so
 * that {@code -XX:ArchiveClassesAtExit} captures it all in the CDS archive.
 */
final class Warmup {
    private Warmup() {
    }

    static void run(PrintStream log) {
        try (ZContext ctx = new ZContext()) {
            for (SocketType t : List.of(SocketType.ROUTER, SocketType.PUB, SocketType.REP)) {
                ctx.createSocket(t).bind("tcp://127.0.0.1:*");
            }
        }
        com.google.gson.JsonParser.parseString("{\"msg_type\":\"execute_request\",\"content\":{}}").toString();
        JShellEngine engine = new JShellEngine(log);
        engine.start();
        engine.awaitReady();
        CellContext cell = new CellContext(0, false, new CellContext.OutputBudget(0));
        engine.execute("int warm = 1 + 1; String s = \"x\".repeat(warm);", cell);
        engine.complete("Sys", 3);
        engine.isComplete("for (;;) {");
        engine.close();
        // The first %maven of a session then maps Maven Resolver's classes from the archive
        // instead of parsing and verifying them; they still load only when %maven is used.
        try {
            dev.spindle.maven.MavenWarmup.run();
        } catch (RuntimeException e) {
            log.println("maven warm-up skipped: " + e.getMessage());
        }
    }
}
