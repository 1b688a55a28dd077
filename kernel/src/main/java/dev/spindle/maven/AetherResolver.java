package dev.spindle.maven;

import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.ArtifactType;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.CollectResult;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.transfer.TransferResource;
import org.eclipse.aether.util.graph.manager.DependencyManagerUtils;
import org.eclipse.aether.util.graph.transformer.ConflictResolver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Resolver} on Apache Maven Resolver, set up as Maven 3 sets it up
 * ({@code maven-resolver-supplier-mvn3}): Maven's POM reading, scopes, "nearest wins" and
 * dependency management, with the user's settings ({@link AetherSettings}). The repository system
 * is built once, on the first resolution; each resolution gets a session of its own, so changed
 * settings and its own transfer listener apply.
 * <p>
 * Timeouts are short by default so that no network is an error within seconds, not a hang
 * (Maven's own defaults are 10 s to connect, 30 min per request, 3 retries): 5 s to connect,
 * 20 s without an answer, no retries. {@code aether.*} properties in an active settings profile,
 * or JVM system properties, override them.
 */
final class AetherResolver implements Resolver {
    static final Map<String, String> DEFAULTS = Map.of(
            ConfigurationProperties.CONNECT_TIMEOUT, "5000",
            ConfigurationProperties.REQUEST_TIMEOUT, "20000",
            ConfigurationProperties.HTTP_RETRY_HANDLER_COUNT, "0",
            ConflictResolver.CONFIG_PROP_VERBOSE, "true",
            DependencyManagerUtils.CONFIG_PROP_VERBOSE, "true");

    private final MavenConfig config;
    private final RepositorySystem system;

    AetherResolver(MavenConfig config) {
        this.config = config;
        this.system = new RepositorySystemSupplier().get();
    }

    @Override
    public Path localRepository() {
        return AetherSettings.read(config).localRepository;
    }

    @Override
    public List<String> describeRepositories(List<Repo> extra) {
        AetherSettings s = AetherSettings.read(config);
        try (RepositorySystemSession.CloseableSession session = session(s, Resolver.Progress.NONE, new Counter())) {
            List<String> out = new ArrayList<>();
            for (RemoteRepository r : repositories(session, s, extra)) out.add(describe(r));
            out.add("local: " + s.localRepository + (s.offline ? " (offline mode)" : ""));
            return out;
        }
    }

    @Override
    public Resolution resolve(Request request, Progress progress) throws ResolutionException {
        AetherSettings s = AetherSettings.read(config);
        Counter counter = new Counter();
        try (RepositorySystemSession.CloseableSession session = session(s, progress, counter)) {
            List<RemoteRepository> repos = repositories(session, s, request.repos());
            List<Dependency> managed = managed(session, request, repos);
            List<Dependency> roots = new ArrayList<>();
            for (Wanted w : request.roots()) roots.add(dependency(session, w, managed, repos));

            CollectRequest collect = new CollectRequest(roots, managed, repos);
            collect.setRequestContext("spindle");
            CollectResult collected;
            try {
                collected = system.collectDependencies(session, collect);
            } catch (DependencyCollectionException e) {
                throw failure(request, repos, s, e);
            }
            DependencyNode root = collected.getRoot();
            // Losers of a version conflict stay in the verbose graph: they are reported, not resolved.
            DependencyFilter onClassPath = (node, parents) -> !ResolutionTree.lost(node) && runtimeScope(node);
            DependencyResult result;
            try {
                result = system.resolveDependencies(session, new DependencyRequest(root, onClassPath));
            } catch (DependencyResolutionException e) {
                throw failure(request, repos, s, e);
            }
            if (Thread.currentThread().isInterrupted()) throw new ResolutionException("interrupted");
            Set<String> direct = new LinkedHashSet<>();
            for (DependencyNode n : root.getChildren()) if (n.getArtifact() != null) direct.add(ResolutionTree.key(n.getArtifact()));
            List<Resolution.Artifact> artifacts = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (ArtifactResult r : result.getArtifactResults()) {
                Artifact a = r.getArtifact();
                String key = ResolutionTree.key(a);
                if (!seen.add(key)) continue;
                artifacts.add(new Resolution.Artifact(key, a.getVersion(), a.getPath(), direct.contains(key)));
            }
            ResolutionTree tree = ResolutionTree.of(root, request.pinned());
            return new Resolution(artifacts, tree.text.toString(), tree.conflicts, tree.kept, counter.files.get(),
                    counter.bytes.get());
        }
    }

    private static boolean runtimeScope(DependencyNode node) {
        if (node.getDependency() == null) return true;
        String scope = node.getDependency().getScope();
        return scope.isEmpty() || scope.equals("compile") || scope.equals("runtime");
    }

    private RepositorySystemSession.CloseableSession session(AetherSettings s, Progress progress, Counter counter) {
        RepositorySystemSession.SessionBuilder b = new SessionBuilderSupplier(system).get();
        Map<String, Object> props = new LinkedHashMap<>(DEFAULTS);
        props.putAll(s.resolverProperties);
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("aether.")) props.put(k.toString(), v);
        });
        props.forEach(b::setConfigProperty);
        return b.withLocalRepositoryBaseDirectories(s.localRepository)
                .setOffline(s.offline)
                .setMirrorSelector(s.mirrors)
                .setProxySelector(s.proxies)
                .setAuthenticationSelector(s.auth)
                .setTransferListener(new Transfers(progress, counter))
                .build();
    }

    private List<RemoteRepository> repositories(RepositorySystemSession session, AetherSettings s, List<Repo> extra) {
        List<RemoteRepository> repos = new ArrayList<>(s.repositories);
        for (Repo r : extra) {
            repos.removeIf(x -> x.getId().equals(r.id()));
            repos.add(new RemoteRepository.Builder(r.id(), "default", r.url()).build());
        }
        // Mirrors, proxies and credentials from the settings.
        return system.newResolutionRepositories(session, repos);
    }

    /** The POM's dependency management with BOM imports expanded, then the versions already loaded. */
    private List<Dependency> managed(RepositorySystemSession session, Request request, List<RemoteRepository> repos)
            throws ResolutionException {
        List<Dependency> out = new ArrayList<>();
        for (Wanted w : request.managed()) {
            if (w.scope().equals("import")) {
                Artifact bom = artifact(session, w.coordinates(), w.coordinates().version());
                try {
                    out.addAll(system.readArtifactDescriptor(session, new ArtifactDescriptorRequest(bom, repos, "spindle"))
                            .getManagedDependencies());
                } catch (ArtifactDescriptorException e) {
                    throw new ResolutionException("cannot read the BOM " + w.coordinates() + ": " + rootMessage(e)
                            + "\nRepositories tried: " + names(repos));
                }
            } else {
                out.add(new Dependency(artifact(session, w.coordinates(), w.coordinates().version()), w.scope(), null,
                        exclusions(w)));
            }
        }
        request.pinned().forEach((key, version) -> {
            String[] k = key.split(":", -1);
            out.add(new Dependency(new DefaultArtifact(k[0], k[1], k[3], k[2], version), null));
        });
        return out;
    }

    private Dependency dependency(RepositorySystemSession session, Wanted w, List<Dependency> managed,
                                  List<RemoteRepository> repos) throws ResolutionException {
        String version = w.coordinates().version();
        Artifact a = artifact(session, w.coordinates(), version.isEmpty() ? "0" : version);
        if (version.isEmpty()) {
            for (Dependency m : managed) {
                Artifact ma = m.getArtifact();
                if (ResolutionTree.key(ma).equals(ResolutionTree.key(a))) version = ma.getVersion();
            }
            if (version.isEmpty()) {
                throw new ResolutionException(ResolutionTree.ga(a) + " has no <version> and no <dependencyManagement>"
                        + " entry sets one");
            }
            a = a.setVersion(version);
        }
        return new Dependency(a, w.scope(), false, exclusions(w));
    }

    /** Maven's types: {@code test-jar} is a jar with classifier {@code tests}, an unknown type is an extension. */
    private static Artifact artifact(RepositorySystemSession session, Coordinates c, String version) {
        ArtifactType t = session.getArtifactTypeRegistry().get(c.type());
        if (t == null) return new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), c.type(), version);
        String classifier = c.classifier().isEmpty() ? t.getClassifier() : c.classifier();
        return new DefaultArtifact(c.groupId(), c.artifactId(), classifier, t.getExtension(), version, t);
    }

    private static List<Exclusion> exclusions(Wanted w) {
        List<Exclusion> out = new ArrayList<>();
        for (String e : w.exclusions()) {
            String[] p = e.split(":");
            out.add(new Exclusion(p[0], p.length > 1 ? p[1] : "*", "*", "*"));
        }
        return out;
    }

    /** The user's message: what was asked for, why it failed, and where the resolver looked. */
    private static ResolutionException failure(Request request, List<RemoteRepository> repos, AetherSettings s, Exception e) {
        Set<String> causes = new LinkedHashSet<>();
        if (e instanceof DependencyResolutionException dre && dre.getResult() != null) {
            for (ArtifactResult r : dre.getResult().getArtifactResults()) {
                if (!r.isResolved()) r.getExceptions().forEach(x -> causes.add(rootMessage(x)));
            }
        }
        if (causes.isEmpty()) causes.add(rootMessage(e));
        List<String> asked = new ArrayList<>();
        request.roots().forEach(w -> asked.add(w.coordinates().toString()));
        StringBuilder sb = new StringBuilder("cannot resolve " + String.join(", ", asked) + ":");
        for (String c : causes) sb.append("\n  ").append(c);
        sb.append("\nRepositories tried: ").append(names(repos)).append("; local repository ").append(s.localRepository);
        if (s.offline) sb.append(" (offline mode is on in your Maven settings: only what is already local resolves)");
        return new ResolutionException(sb.toString());
    }

    /**
     * The sentence that says what went wrong: the resolver's own for a transfer ("Could not find
     * artifact g:a:jar:v in id (url)", "Could not transfer ... : Connection refused", "Cannot
     * access ... in offline mode"), else the deepest cause's.
     */
    private static String rootMessage(Throwable e) {
        String transfer = null, deepest = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) deepest = t.getMessage();
            if (t instanceof org.eclipse.aether.transfer.ArtifactTransferException && t.getMessage() != null) {
                transfer = t.getMessage();
            }
        }
        return transfer != null ? transfer : deepest != null ? deepest : e.toString();
    }

    private static String names(List<RemoteRepository> repos) {
        List<String> out = new ArrayList<>();
        repos.forEach(r -> out.add(describe(r)));
        return String.join(", ", out);
    }

    private static String describe(RemoteRepository r) {
        String s = r.getId() + " (" + r.getUrl() + ")";
        if (!r.getMirroredRepositories().isEmpty()) {
            List<String> of = new ArrayList<>();
            r.getMirroredRepositories().forEach(m -> of.add(m.getId()));
            s += " mirror of " + String.join(", ", of);
        }
        if (r.getProxy() != null) s += " via proxy " + r.getProxy().getHost() + ":" + r.getProxy().getPort();
        return s;
    }

    /** Downloads done in one resolution. */
    private static final class Counter {
        final AtomicInteger files = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    /** Resolver transfer events to {@link Progress}; checksum files are not counted as files. */
    private static final class Transfers extends AbstractTransferListener {
        private final Progress progress;
        private final Counter counter;

        Transfers(Progress progress, Counter counter) {
            this.progress = progress;
            this.counter = counter;
        }

        private static boolean counted(TransferEvent e) {
            if (e.getRequestType() != TransferEvent.RequestType.GET) return false;
            String n = e.getResource().getResourceName();
            return !(n.endsWith(".sha1") || n.endsWith(".md5") || n.endsWith(".sha256") || n.endsWith(".sha512")
                    || n.endsWith(".asc"));
        }

        private static String name(TransferResource r) {
            String n = r.getResourceName();
            return n.substring(n.lastIndexOf('/') + 1);
        }

        @Override
        public void transferStarted(TransferEvent e) {
            if (counted(e)) progress.started(name(e.getResource()));
        }

        @Override
        public void transferProgressed(TransferEvent e) {
            if (!counted(e)) return;
            counter.bytes.addAndGet(e.getDataLength());
            progress.transferred(e.getDataLength());
        }

        @Override
        public void transferSucceeded(TransferEvent e) {
            if (!counted(e)) return;
            counter.files.incrementAndGet();
            progress.finished(name(e.getResource()), e.getTransferredBytes(), true);
        }

        @Override
        public void transferFailed(TransferEvent e) {
            if (counted(e)) progress.finished(name(e.getResource()), e.getTransferredBytes(), false);
        }
    }
}
