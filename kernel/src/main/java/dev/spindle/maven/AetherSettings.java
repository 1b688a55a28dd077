package dev.spindle.maven;

import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsBuildingResult;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The user's Maven settings (user and global {@code settings.xml}, merged and interpolated by
 * Maven's own settings builder) turned into what a resolver session needs: the local repository,
 * offline mode, mirrors, proxies, server credentials, the repositories of active profiles, and
 * {@code aether.*} properties of active profiles (resolver configuration, e.g. timeouts).
 * Encrypted passwords ({@code {...}}) are passed on as written: they are not decrypted.
 */
final class AetherSettings {
    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    final Path localRepository;
    final boolean offline;
    final MirrorSelector mirrors;
    final ProxySelector proxies;
    final AuthenticationSelector auth;
    final List<RemoteRepository> repositories;
    final Map<String, String> resolverProperties;
    final List<String> problems;

    private AetherSettings(Settings s, MavenConfig config, List<String> problems) {
        this.problems = problems;
        Path local = config.repoLocal() != null ? config.repoLocal()
                : s.getLocalRepository() != null && !s.getLocalRepository().isBlank() ? Path.of(s.getLocalRepository().strip())
                : config.defaultLocalRepository();
        this.localRepository = local.toAbsolutePath();
        this.offline = s.isOffline();

        DefaultMirrorSelector ms = new DefaultMirrorSelector();
        for (Mirror m : s.getMirrors()) {
            String layout = m.getLayout() == null || m.getLayout().isEmpty() ? "default" : m.getLayout();
            ms.add(m.getId(), m.getUrl(), layout, false, m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts());
        }
        this.mirrors = ms;

        DefaultProxySelector ps = new DefaultProxySelector();
        for (Proxy p : s.getProxies()) {
            if (!p.isActive()) continue;
            var a = new AuthenticationBuilder().addUsername(p.getUsername()).addPassword(p.getPassword()).build();
            ps.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(), p.getPort(), a), p.getNonProxyHosts());
        }
        this.proxies = ps;

        DefaultAuthenticationSelector as = new DefaultAuthenticationSelector();
        for (Server sv : s.getServers()) {
            as.add(sv.getId(), new AuthenticationBuilder().addUsername(sv.getUsername()).addPassword(sv.getPassword())
                    .addPrivateKey(sv.getPrivateKey(), sv.getPassphrase()).build());
        }
        this.auth = as;

        Set<String> active = new HashSet<>(s.getActiveProfiles());
        List<RemoteRepository> repos = new ArrayList<>();
        repos.add(new RemoteRepository.Builder("central", "default", CENTRAL_URL)
                .setSnapshotPolicy(new RepositoryPolicy(false, RepositoryPolicy.UPDATE_POLICY_DAILY,
                        RepositoryPolicy.CHECKSUM_POLICY_WARN)).build());
        Map<String, String> props = new LinkedHashMap<>();
        for (Profile p : s.getProfiles()) {
            boolean on = active.contains(p.getId())
                    || (p.getActivation() != null && p.getActivation().isActiveByDefault() && active.isEmpty());
            if (!on) continue;
            for (org.apache.maven.settings.Repository r : p.getRepositories()) {
                RemoteRepository.Builder b = new RemoteRepository.Builder(r.getId(), r.getLayout(), r.getUrl());
                b.setReleasePolicy(policy(r.getReleases()));
                b.setSnapshotPolicy(policy(r.getSnapshots()));
                repos.removeIf(x -> x.getId().equals(r.getId()));
                repos.add(b.build());
            }
            p.getProperties().forEach((k, v) -> {
                if (k.toString().startsWith("aether.")) props.put(k.toString(), v.toString());
            });
        }
        this.repositories = repos;
        this.resolverProperties = props;
    }

    private static RepositoryPolicy policy(org.apache.maven.settings.RepositoryPolicy p) {
        if (p == null) return new RepositoryPolicy();
        return new RepositoryPolicy(p.isEnabled(),
                p.getUpdatePolicy() == null ? RepositoryPolicy.UPDATE_POLICY_DAILY : p.getUpdatePolicy(),
                p.getChecksumPolicy() == null ? RepositoryPolicy.CHECKSUM_POLICY_WARN : p.getChecksumPolicy());
    }

    /** Reads the settings now (they may have changed since the last resolution). */
    static AetherSettings read(MavenConfig config) {
        DefaultSettingsBuildingRequest req = new DefaultSettingsBuildingRequest();
        if (Files.isRegularFile(config.userSettings())) req.setUserSettingsFile(config.userSettings().toFile());
        if (config.globalSettings() != null && Files.isRegularFile(config.globalSettings())) {
            req.setGlobalSettingsFile(config.globalSettings().toFile());
        }
        Properties sys = new Properties();
        sys.putAll(System.getProperties());
        sys.setProperty("user.home", config.home().toString()); // ${user.home} in settings: the HOME we use
        System.getenv().forEach((k, v) -> sys.setProperty("env." + k, v));
        req.setSystemProperties(sys);
        List<String> problems = new ArrayList<>();
        Settings s;
        try {
            SettingsBuildingResult r = new DefaultSettingsBuilderFactory().newInstance().build(req);
            r.getProblems().forEach(p -> problems.add(p.getMessage()));
            s = r.getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new IllegalArgumentException("your Maven settings cannot be read: " + e.getMessage(), e);
        }
        return new AetherSettings(s, config, problems);
    }
}
