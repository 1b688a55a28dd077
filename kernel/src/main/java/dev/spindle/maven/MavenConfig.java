package dev.spindle.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the user's Maven settings are, found as {@code mvn} finds them: the user's
 * {@code ~/.m2/settings.xml} and the installation's {@code conf/settings.xml}
 * ({@code $MAVEN_HOME}, else the {@code mvn} on the PATH). Home is {@code $HOME} first: the
 * JVM's {@code user.home} comes from the password database and ignores an isolated HOME (the
 * tests rely on that, as the child-JVM archive does). {@code -Dmaven.repo.local} on the kernel's
 * JVM overrides the local repository, as it does for {@code mvn}.
 *
 * @param userSettings   may not exist
 * @param globalSettings may be null or not exist
 * @param repoLocal      from {@code maven.repo.local}, else null (settings or ~/.m2/repository)
 */
record MavenConfig(Path home, Path userSettings, Path globalSettings, Path repoLocal) {

    static MavenConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        String h = env.get("HOME");
        Path home = Path.of(h != null && !h.isEmpty() ? h : System.getProperty("user.home"));
        String local = System.getProperty("maven.repo.local");
        return new MavenConfig(home, home.resolve(".m2").resolve("settings.xml"), globalSettings(env),
                local == null || local.isBlank() ? null : Path.of(local));
    }

    /** ~/.m2/repository unless the settings or maven.repo.local say otherwise. */
    Path defaultLocalRepository() {
        return home.resolve(".m2").resolve("repository");
    }

    private static Path globalSettings(Map<String, String> env) {
        for (String var : new String[]{"MAVEN_HOME", "M2_HOME"}) {
            String v = env.get(var);
            if (v != null && !v.isEmpty()) return Path.of(v, "conf", "settings.xml");
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path mvn = Path.of(dir, "mvn");
            if (!Files.isExecutable(mvn)) continue;
            try {
                // /usr/bin/mvn -> /usr/share/maven/bin/mvn: the installation is two levels up.
                Path real = mvn.toRealPath();
                Path conf = real.getParent().getParent().resolve("conf").resolve("settings.xml");
                return Files.isRegularFile(conf) ? conf : null;
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
