package dev.spindle.internal.process;

import dev.spindle.concurrent.SharedQueue;
import dev.spindle.concurrent.Task;
import dev.spindle.internal.process.wire.Frame;
import dev.spindle.internal.process.wire.TaskOutcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The class-data-sharing archive child JVMs start from: one per JDK and jar build, under
 * {@code $XDG_CACHE_HOME/spindle} (else {@code $HOME/.cache/spindle}), made in the background
 * the first time a child starts.
 * <p>
 * A static AppCDS archive, in two steps: a real child session (a task with output, a queue
 * round trip to the kernel and a result) records the classes it loads
 * ({@code -XX:DumpLoadedClassList}), then {@code -Xshare:dump} archives them. Measured on
 * JDK 17, against a dynamic archive ({@code -XX:ArchiveClassesAtExit}) of the same session:
 * the static one also holds the JDK's own classes, the lambda-form classes that session
 * spun and, dumped with G1, the archived module graph, so a child reaches its task sooner.
 * The session is the real code path, so the archive follows the code.
 */
final class ChildArchive {
    private static final Logger LOG = Logger.getLogger(ChildArchive.class.getName());
    private static final long SESSION_TIMEOUT_S = 60;

    /** Where the session's queue lives and its child's requests are answered. */
    private final WorkerRuntime runtime;
    private final Path java;
    private final Path jar;
    private final Path archive;
    private final AtomicBoolean making = new AtomicBoolean();

    ChildArchive(Path java, Path jar, WorkerRuntime runtime) {
        this.runtime = runtime;
        this.java = java;
        this.jar = jar;
        this.archive = pathFor(jar);
    }

    /** The archive if it is there; otherwise starts making it (once) and says null. */
    Path readyOrStartMaking(List<String> childFlags) {
        if (Files.isRegularFile(archive)) return archive;
        if (making.compareAndSet(false, true)) {
            Thread t = new Thread(() -> make(childFlags), "spindle-child-archive");
            t.setDaemon(true);
            t.start();
        }
        return null;
    }

    private void make(List<String> childFlags) {
        String tag = ".tmp" + ProcessHandle.current().pid();
        Path list = archive.resolveSibling(archive.getFileName() + tag + ".classlist");
        Path tmp = archive.resolveSibling(archive.getFileName() + tag);
        try {
            Files.createDirectories(archive.getParent());
            if (!recordSession(list, childFlags)) return;
            // The default collector (G1): only a G1 dump holds archived heap objects.
            Process dump = new ProcessBuilder(java.toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + list,
                    "-XX:SharedArchiveFile=" + tmp, "-Xlog:disable", "-cp", jar.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!dump.waitFor(SESSION_TIMEOUT_S, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                return;
            }
            if (dump.exitValue() == 0 && Files.isRegularFile(tmp)) {
                Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.info(() -> "child class-data archive ready: " + archive);
            }
        } catch (IOException | InterruptedException e) {
            LOG.log(Level.INFO, "no class-data archive for children", e);
        } finally {
            try {
                Files.deleteIfExists(list);
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a stale temporary file is harmless; the next kernel overwrites its own
            }
        }
    }

    /** Runs one child session like a process worker's, listing the classes it loads. */
    private boolean recordSession(Path list, List<String> childFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(childFlags);
        cmd.add("-XX:DumpLoadedClassList=" + list);
        cmd.addAll(List.of("-cp", jar.toString(), "dev.spindle.child.ChildMain", "--archive"));
        ChildProcess child = new ChildProcess(new ProcessBuilder(cmd).start(), List.of(), runtime);
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        child.listen(new ChildProcess.Listener() {
            @Override
            public void output(boolean err, String text) {
            }

            @Override
            public void reported(TaskOutcome outcome) {
                child.release();
            }

            @Override
            public void rawError(String text) {
                LOG.fine(() -> "archive session: " + text);
            }

            @Override
            public void exited(int code) {
                exited.complete(code);
            }
        });
        SharedQueue<Object> queue = new SharedQueue<>();
        try {
            child.send(Frame.RUN, 1, Shipment.pack(1, "archive", Session.task(queue), NotebookState.NONE, false).encode());
            return exited.get(SESSION_TIMEOUT_S, TimeUnit.SECONDS) == 0 && Files.isRegularFile(list);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.INFO, "the archive session did not finish", e);
            child.kill();
            return false;
        } finally {
            runtime.ipc().forget(queue);
        }
    }

    /** The session's task; a class of its own so the child initialises nothing else of ours. */
    private static final class Session {
        private Session() {
        }

        /** What a typical task touches: output, a queue round trip, a collection result. */
        static Task<List<Object>> task(SharedQueue<Object> queue) {
            return () -> {
                System.out.println("archive session");
                queue.put("ping");
                Object back = queue.get();
                List<Object> out = new ArrayList<>();
                out.add(back);
                out.add(42L);
                return out;
            };
        }
    }

    Path path() {
        return archive;
    }

    /** One archive per JDK and jar build: a stale archive would be refused (or worse, mismatched). */
    static Path pathFor(Path jar) {
        // $HOME first: user.home comes from the passwd entry and ignores an isolated HOME.
        String cache = System.getenv("XDG_CACHE_HOME");
        String home = System.getenv("HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache)
                : Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".cache");
        long stamp;
        try {
            stamp = Files.getLastModifiedTime(jar).toMillis() ^ Files.size(jar);
        } catch (IOException e) {
            stamp = 0;
        }
        String key = Integer.toHexString((System.getProperty("java.home") + Runtime.version() + jar + stamp).hashCode());
        return base.resolve("spindle").resolve("child-" + Runtime.version().feature() + "-" + key + ".jsa");
    }
}
