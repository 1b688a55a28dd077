package dev.spindle.maven;

import dev.spindle.engine.Outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Package {@code maven} owns libraries from Maven repositories: {@code %maven}, {@code %mavenRepo},
 * {@code %%pom} and {@code %loadFromPOM}, and what the kernel has loaded through them.
 * <p>
 * Resolution is Maven's own (Maven Resolver, {@link AetherResolver}), loaded on the first use
 * only: a kernel that never resolves never loads a resolver class. What it finds is added all
 * at once or not at all, to JShell (cells, threads, thread pools: at once) and to the class path
 * of child JVMs started from then on. A JVM cannot unload a class, so a library stays at the
 * version first loaded: asking for another version is refused, with the hint to restart, and
 * transitive dependencies keep the loaded version (Maven's dependency management does that).
 */
public final class MavenMagics {

    /** Where resolved jars go: JShell and the child JVMs started from now on. */
    public interface ClassPathTarget {
        void add(List<Path> entries);
    }

    /** Where the magics write, for one cell. */
    public interface Console {
        /** Text in the cell's stdout. */
        void print(String text);

        /** Shows {@code text} as a display that {@link Live#update} replaces in place; any thread. */
        Live live(String text);
    }

    /** A display shown in the cell, updated in place. */
    public interface Live {
        void update(String text);
    }

    private final ClassPathTarget target;
    private final Supplier<Resolver> resolverFactory;
    private Resolver resolver;
    /** Loaded artifacts by key (groupId:artifactId:extension:classifier), in load order. */
    private final Map<String, Resolution.Artifact> loaded = new LinkedHashMap<>();
    /** Which request loaded each key, for the conflict message. */
    private final Map<String, String> loadedBy = new LinkedHashMap<>();
    /** Requests that succeeded, as written, for the rerun check and the listing. */
    private final Set<String> requested = new LinkedHashSet<>();
    private final List<Repo> repos = new ArrayList<>();
    private volatile Thread resolving;
    /** Set by an interrupt of the cell while resolving: whatever the resolution says, nothing is added. */
    private volatile boolean stopped;

    /** With Maven Resolver, loaded on first use. */
    public MavenMagics(ClassPathTarget target) {
        this(target, MavenMagics::newResolver);
    }

    MavenMagics(ClassPathTarget target, Supplier<Resolver> resolverFactory) {
        this.target = target;
        this.resolverFactory = resolverFactory;
    }

    // Its own method, so that MavenMagics names no resolver class the JVM would load with it.
    private static Resolver newResolver() {
        return new AetherResolver(MavenConfig.fromEnvironment());
    }

    private synchronized Resolver resolver() {
        if (resolver == null) resolver = resolverFactory.get();
        return resolver;
    }

    /** {@code %maven coords...}, or {@code %maven} alone: the list of what was added. */
    public Outcome maven(String args, Console out) {
        if (args.isBlank()) {
            out.print(listing());
            return ok();
        }
        List<Wanted> wanted = new ArrayList<>();
        try {
            for (String c : args.trim().split("[\\s,]+")) wanted.add(Wanted.of(Coordinates.parse(c)));
        } catch (IllegalArgumentException e) {
            return failure("UsageError", e.getMessage());
        }
        return load(wanted, List.of(), List.of(), "%maven " + args.trim(), out);
    }

    /** {@code %mavenRepo ID URL}; alone, the list of repositories. */
    public Outcome mavenRepo(String args, Console out) {
        String[] p = args.trim().isEmpty() ? new String[0] : args.trim().split("\\s+");
        if (p.length == 0) {
            try {
                out.print("Repositories, in the order they are tried:\n  "
                        + String.join("\n  ", resolver().describeRepositories(List.copyOf(repos))) + "\n");
                return ok();
            } catch (RuntimeException e) {
                return failure("MavenError", "cannot read the Maven settings: " + e.getMessage());
            }
        }
        if (p.length != 2) return failure("UsageError", "Usage: " + Repo.USAGE);
        Repo r;
        try {
            r = Repo.of(p[0], p[1]);
        } catch (IllegalArgumentException e) {
            return failure("UsageError", e.getMessage());
        }
        synchronized (this) {
            int at = indexOf(r.id());
            if (at >= 0 && repos.get(at).equals(r)) {
                out.print("repository " + r + " is already there: nothing to do\n");
                return ok();
            }
            if (at >= 0) repos.set(at, r);
            else repos.add(r);
        }
        out.print("repository " + r + " added: %maven tries it after the repositories of your Maven settings\n");
        return ok();
    }

    /** {@code %%pom}: a {@code <dependencies>} block or a whole POM. */
    public Outcome pom(String xml, Console out) {
        PomText.Read read;
        try {
            read = PomText.parse(xml);
        } catch (IllegalArgumentException e) {
            return failure("UsageError", "%%pom: " + e.getMessage());
        }
        return loadRead(read, "%%pom", out);
    }

    /** {@code %loadFromPOM PATH}: the same from a file (relative to the notebook's directory). */
    public Outcome loadFromPom(String args, Console out) {
        if (args.isBlank()) return failure("UsageError", "Usage: %loadFromPOM PATH  (a pom.xml, or a file with a <dependencies> block)");
        Path path = Path.of(args.trim());
        String xml;
        try {
            xml = Files.readString(path);
        } catch (IOException e) {
            return failure("UsageError", "%loadFromPOM: cannot read " + path.toAbsolutePath() + ": " + e);
        }
        PomText.Read read;
        try {
            read = PomText.parse(xml);
        } catch (IllegalArgumentException e) {
            return failure("UsageError", "%loadFromPOM " + path + ": " + e.getMessage());
        }
        return loadRead(read, "%loadFromPOM " + path, out);
    }

    /** Stops a resolution in progress (an interrupt of the cell); nothing is added. */
    public void interrupt() {
        Thread t = resolving;
        if (t != null) {
            stopped = true;
            t.interrupt();
        }
    }

    private Outcome loadRead(PomText.Read read, String label, Console out) {
        if (!read.skipped().isEmpty()) out.print("left out (not on a runtime class path): " + String.join(", ", read.skipped()) + "\n");
        if (read.dependencies().isEmpty()) return ok();
        return load(read.dependencies(), read.managed(), read.repositories(), label, out);
    }

    private Outcome load(List<Wanted> wanted, List<Wanted> managed, List<Repo> pomRepos, String label, Console out) {
        long t0 = System.nanoTime();
        List<Wanted> fresh = new ArrayList<>();
        for (Wanted w : wanted) {
            if (requested.contains(w.coordinates().toString())) continue;
            // A version a POM leaves to its dependency management is checked once resolved.
            String clash = w.coordinates().version().isEmpty() ? null : clash(plainKey(w.coordinates()), w.coordinates().version());
            if (clash != null) return failure("VersionConflict", clash);
            fresh.add(w);
        }
        if (fresh.isEmpty()) {
            out.print("already loaded: " + names(wanted) + " (nothing to do)\n");
            return ok();
        }
        List<Repo> all = new ArrayList<>(repos);
        for (Repo r : pomRepos) if (all.stream().noneMatch(x -> x.id().equals(r.id()))) all.add(r);
        Map<String, String> pinned = new LinkedHashMap<>();
        loaded.forEach((k, a) -> pinned.put(k, a.version()));
        Resolver.Request request = new Resolver.Request(fresh, managed, pinned, all);

        DownloadProgress progress = new DownloadProgress(out);
        Resolution r;
        stopped = false;
        try {
            r = runResolution(request, progress);
            if (stopped) throw new InterruptedException();
        } catch (Resolver.ResolutionException | InterruptedException | RuntimeException | Error e) {
            progress.done(false);
            if (stopped || e instanceof InterruptedException) {
                return failure("Interrupted", "%maven was interrupted; nothing was added to the class path.");
            }
            String why = e instanceof Resolver.ResolutionException ? e.getMessage() : "%maven failed: " + e;
            return failure("MavenError", why + "\nNothing was added to the class path.");
        }
        progress.done(true);

        List<Resolution.Artifact> added = new ArrayList<>();
        for (Resolution.Artifact a : r.artifacts()) {
            Resolution.Artifact had = loaded.get(a.key());
            if (had == null) {
                added.add(a);
                continue;
            }
            String clash = clash(a.key(), a.version());
            if (clash != null) return failure("VersionConflict", clash);
        }
        List<Path> entries = new ArrayList<>();
        for (Resolution.Artifact a : added) if (a.onClassPath()) entries.add(a.file());
        try {
            target.add(entries);
        } catch (RuntimeException e) {
            return failure("MavenError", "resolved, but the class path could not be extended: " + e.getMessage());
        }
        synchronized (this) {
            for (Resolution.Artifact a : added) {
                loaded.put(a.key(), a);
                loadedBy.put(a.key(), label);
            }
            for (Wanted w : fresh) requested.add(w.coordinates().toString());
        }
        out.print(summary(r, added, entries.size(), (System.nanoTime() - t0) / 1e9));
        return ok();
    }

    /** Resolves on a thread of its own, so an interrupt can stop it without touching the caller. */
    private Resolution runResolution(Resolver.Request request, DownloadProgress progress)
            throws Resolver.ResolutionException, InterruptedException {
        CompletableFuture<Resolution> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(resolver().resolve(request, progress));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "spindle-maven");
        t.setDaemon(true);
        resolving = t;
        t.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            t.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Resolver.ResolutionException re) throw re;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } finally {
            resolving = null;
        }
    }

    /** Why {@code key} cannot be loaded at {@code version}, or null when it can. */
    private String clash(String key, String version) {
        Resolution.Artifact had = loaded.get(key);
        if (had == null || had.version().equals(version)) return null;
        String name = had.coordinates();
        String wantedName = name.substring(0, name.length() - had.version().length()) + version;
        return wantedName + " cannot be loaded: " + name + " is already on the class path (loaded by "
                + loadedBy.get(key) + "). A JVM cannot unload classes, so a running kernel cannot switch to"
                + " another version of a library. Restart the kernel and run %maven with the version you want"
                + " (nothing was added).";
    }

    private static String plainKey(Coordinates c) {
        return c.groupId() + ":" + c.artifactId() + ":" + (c.type().equals("jar") ? "jar" : c.type()) + ":" + c.classifier();
    }

    private String summary(Resolution r, List<Resolution.Artifact> added, int jars, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("added %d jar%s to the class path in %.2f s", jars, jars == 1 ? "" : "s", seconds));
        if (r.downloads() > 0) sb.append(String.format(" (downloaded %d file%s, %s)", r.downloads(), r.downloads() == 1 ? "" : "s",
                DownloadProgress.bytes(r.downloadedBytes())));
        int again = r.artifacts().size() - added.size();
        if (again > 0) sb.append("; ").append(again).append(" already loaded");
        sb.append('\n').append(r.tree());
        for (String c : r.conflicts()) sb.append("nearest wins: ").append(c).append('\n');
        for (String k : r.kept()) sb.append("kept: ").append(k).append('\n');
        for (Resolution.Artifact a : added) {
            if (!a.onClassPath()) sb.append("not on the class path (not a jar): ").append(a.coordinates()).append('\n');
        }
        if (jars > 0) {
            sb.append("Usable now in cells, threads and thread pools, and in child JVMs and process pools started from"
                    + " now on (those started before keep their class path).\n");
        }
        return sb.toString();
    }

    private synchronized String listing() {
        if (loaded.isEmpty()) return "nothing added by %maven yet. Usage: " + Coordinates.USAGE + "\n";
        StringBuilder sb = new StringBuilder("asked for: ").append(String.join(", ", requested)).append('\n');
        sb.append(loaded.size()).append(" artifact").append(loaded.size() == 1 ? "" : "s").append(" loaded:\n");
        for (Resolution.Artifact a : loaded.values()) {
            sb.append("  ").append(a.coordinates()).append("  ").append(a.file()).append('\n');
        }
        if (!repos.isEmpty()) sb.append("repositories added: ").append(repos).append('\n');
        return sb.toString();
    }

    /** Loaded artifacts, in load order: coordinates to file. */
    synchronized Map<String, Path> loadedFiles() {
        Map<String, Path> out = new LinkedHashMap<>();
        loaded.values().forEach(a -> out.put(a.coordinates(), a.file()));
        return out;
    }

    private int indexOf(String id) {
        for (int i = 0; i < repos.size(); i++) if (repos.get(i).id().equals(id)) return i;
        return -1;
    }

    private static String names(List<Wanted> ws) {
        List<String> s = new ArrayList<>();
        ws.forEach(w -> s.add(w.coordinates().toString()));
        return String.join(", ", s);
    }

    private static Outcome ok() {
        return new Outcome.Value(null, null);
    }

    private static Outcome failure(String name, String message) {
        return new Outcome.Failure(name, message, List.of("\u001b[0;31m" + name + "\u001b[0m: " + message));
    }
}
