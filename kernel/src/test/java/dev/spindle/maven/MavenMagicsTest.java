package dev.spindle.maven;

import dev.spindle.engine.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Maven magics against a {@code file://} repository the test writes, with Maven Resolver
 * itself and settings in a private home (never ~/.m2): transitive resolution, nearest wins,
 * the loaded-version rule, POM input, and every kind of bad input.
 */
class MavenMagicsTest {
    @TempDir
    static Path shared;
    static TestRepo repo;

    @BeforeAll
    static void publish() throws IOException {
        repo = new TestRepo(shared.resolve("repo"));
        Path words = repo.publish("t.spindle", "words", "1.0", "", TestRepo.constant("t.spindle.words.Words", "hello"), List.of());
        repo.publish("t.spindle", "greeter", "1.0", "", Map.of("t.spindle.greeter.Greeter",
                "package t.spindle.greeter; public class Greeter { public static String greet(String n) {"
                        + " return t.spindle.words.Words.value() + \", \" + n; } }"), List.of("t.spindle:words:1.0"), words);
        repo.publish("t.spindle", "common", "1.0", "", TestRepo.constant("t.spindle.common.Common", "1.0"), List.of());
        repo.publish("t.spindle", "common", "2.0", "", TestRepo.constant("t.spindle.common.Common", "2.0"), List.of());
        repo.publish("t.spindle", "mid", "1.0", "", TestRepo.constant("t.spindle.mid.Mid", "mid"), List.of("t.spindle:common:2.0"));
        repo.publish("t.spindle", "app", "1.0", "", TestRepo.constant("t.spindle.app.App", "app"),
                List.of("t.spindle:mid:1.0", "t.spindle:common:1.0", "t.spindle:testonly:1.0:test"));
        repo.publish("t.spindle", "natives", "1.0", "linux", TestRepo.constant("t.spindle.natives.Linux", "linux"), List.of());
    }

    /** A private home whose settings send every repository to the test repository. */
    private static MavenConfig home(Path dir, String extraSettings) throws IOException {
        Path m2 = Files.createDirectories(dir.resolve(".m2"));
        Files.writeString(m2.resolve("settings.xml"), "<settings>\n  <localRepository>" + dir.resolve("local")
                + "</localRepository>\n" + extraSettings + "\n  <mirrors><mirror><id>testrepo</id><mirrorOf>central</mirrorOf><url>"
                + repo.url() + "</url></mirror></mirrors>\n</settings>\n");
        return new MavenConfig(dir, m2.resolve("settings.xml"), null, null);
    }

    private static final class Recorder implements MavenMagics.Console, MavenMagics.ClassPathTarget {
        final StringBuilder out = new StringBuilder();
        final List<Path> added = new ArrayList<>();
        int calls;

        @Override
        public void print(String text) {
            out.append(text);
        }

        @Override
        public MavenMagics.Live live(String text) {
            out.append("[live] ").append(text).append('\n');
            return t -> out.append("[update] ").append(t).append('\n');
        }

        @Override
        public void add(List<Path> entries) {
            calls++;
            added.addAll(entries);
        }

        String take() {
            String s = out.toString();
            out.setLength(0);
            return s;
        }
    }

    private static MavenMagics magics(MavenConfig config, Recorder r) {
        return new MavenMagics(r, () -> new AetherResolver(config));
    }

    private static String fileNames(List<Path> ps) {
        List<String> names = new ArrayList<>();
        ps.forEach(p -> names.add(p.getFileName().toString()));
        return String.join(",", names);
    }

    @Test
    void resolvesTransitivelyAndTheJarsWork(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:greeter:1.0", r));
        assertEquals("greeter-1.0.jar,words-1.0.jar", fileNames(r.added));
        String out = r.take();
        assertTrue(out.contains("added 2 jars"), out);
        assertTrue(out.contains("t.spindle:greeter:1.0\n\u2514\u2500\u2500 t.spindle:words:1.0"), out);
        assertTrue(r.added.get(0).startsWith(dir.resolve("local")), "downloaded into the local repository: " + r.added);
        try (URLClassLoader l = new URLClassLoader(urls(r.added), null)) {
            assertEquals("hello, you", l.loadClass("t.spindle.greeter.Greeter").getMethod("greet", String.class).invoke(null, "you"));
        }
        // Rerunning the cell: nothing resolved, nothing added, and it says so.
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:greeter:1.0", r));
        assertEquals(1, r.calls);
        assertTrue(r.take().contains("already loaded: t.spindle:greeter:1.0 (nothing to do)"));
        m.maven("", r);
        String listing = r.take();
        assertTrue(listing.contains("t.spindle:words:1.0") && listing.contains("asked for: t.spindle:greeter:1.0"), listing);
    }

    @Test
    void nearestWinsAndTheLoadedVersionStays(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:app:1.0", r));
        String out = r.take();
        assertEquals("app-1.0.jar,mid-1.0.jar,common-1.0.jar", fileNames(r.added), out);
        assertTrue(out.contains("nearest wins: t.spindle:common 1.0 chosen over 2.0 (asked for by t.spindle:mid:1.0)"), out);
        assertFalse(out.contains("testonly"), "test scope stays out: " + out);

        Outcome refused = m.maven("t.spindle:common:2.0", r);
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, refused);
        assertEquals("VersionConflict", f.ename());
        assertTrue(f.evalue().contains("t.spindle:common:1.0 is already on the class path (loaded by %maven t.spindle:app:1.0)")
                && f.evalue().contains("Restart the kernel"), f.evalue());
        assertEquals(1, r.calls);
    }

    @Test
    void aTransitiveDependencyKeepsTheLoadedVersion(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:common:1.0", r));
        r.take();
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:mid:1.0", r));
        String out = r.take();
        assertEquals("common-1.0.jar,mid-1.0.jar", fileNames(r.added), out);
        assertTrue(out.contains("kept: t.spindle:common:1.0, already loaded (t.spindle:mid:1.0 asked for 2.0)"), out);
    }

    @Test
    void classifierAndType(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:natives:jar:linux:1.0", r));
        assertEquals("natives-1.0-linux.jar", fileNames(r.added), r.take());
    }

    @Test
    void malformedCoordinatesGetTheUsageLine(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        for (String bad : List.of("guava", "a:b", "a:b:c:d:e:f", "a b:c:1", "a:b:1.0 x::1")) {
            Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, m.maven(bad, r), bad);
            assertEquals("UsageError", f.ename());
            assertTrue(f.evalue().contains("Usage: %maven groupId:artifactId"), f.evalue());
        }
        assertEquals(0, r.calls);
    }

    @Test
    void aMissingArtifactNamesItAndTheRepositoriesAndAddsNothing(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, m.maven("t.spindle:greeter:1.0 t.spindle:nope:1.0", r));
        assertEquals("MavenError", f.ename());
        assertTrue(f.evalue().contains("cannot resolve t.spindle:greeter:1.0, t.spindle:nope:1.0"), f.evalue());
        assertTrue(f.evalue().contains("t.spindle:nope:jar:1.0"), f.evalue());
        assertTrue(f.evalue().contains("testrepo (" + repo.url()), f.evalue());
        assertTrue(f.evalue().contains("Nothing was added"), f.evalue());
        assertEquals(0, r.calls);
        m.maven("", r);
        assertTrue(r.take().contains("nothing added by %maven yet"));
    }

    @Test
    void offlineResolvesWhatIsLocalOnly(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        magics(home(dir, ""), r).maven("t.spindle:greeter:1.0", r); // now in the local repository
        Recorder off = new Recorder();
        MavenMagics m = magics(home(dir, "<offline>true</offline>"), off);
        assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:greeter:1.0", off), off.out.toString());
        assertEquals(2, off.added.size());
        Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, m.maven("t.spindle:common:1.0", off));
        assertTrue(f.evalue().contains("offline"), f.evalue());
    }

    @Test
    void anUnreachableRepositoryFailsFast(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // A server that accepts connections (the backlog) but never answers: the request timeout ends it.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String profile = "<profiles><profile><id>t</id><properties>"
                    + "<aether.transport.http.requestTimeout>1500</aether.transport.http.requestTimeout>"
                    + "</properties></profile></profiles><activeProfiles><activeProfile>t</activeProfile></activeProfiles>";
            Recorder r = new Recorder();
            MavenMagics m = magics(home(dir, profile), r);
            int n = 0;
            for (String url : List.of("http://127.0.0.1:" + closedPort + "/maven2", "http://127.0.0.1:" + silent.getLocalPort() + "/")) {
                m.mavenRepo("dead " + url, r);
                long t0 = System.nanoTime();
                Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, m.maven("t.spindle:nowhere" + ++n + ":1.0", r));
                double s = (System.nanoTime() - t0) / 1e9;
                assertTrue(s < 10, "took " + s + " s: " + f.evalue());
                assertTrue(f.evalue().contains("dead (" + url), f.evalue());
            }
            // What is local still resolves with the dead repository in the list.
            assertInstanceOf(Outcome.Value.class, m.maven("t.spindle:words:1.0", r));
            r.take();
            m.mavenRepo("", r);
            String repos = r.take();
            assertTrue(repos.contains("testrepo (" + repo.url() + ") mirror of central") && repos.contains("dead ("), repos);
        }
    }

    @Test
    void pomBlocksAndWholePoms(@TempDir Path dir) throws Exception {
        Recorder r = new Recorder();
        MavenMagics m = magics(home(dir, ""), r);
        String block = """
                <dependencies>
                  <dependency><groupId>t.spindle</groupId><artifactId>natives</artifactId><version>1.0</version>
                    <classifier>linux</classifier></dependency>
                  <dependency><groupId>t.spindle</groupId><artifactId>app</artifactId><version>1.0</version>
                    <scope>test</scope></dependency>
                </dependencies>""";
        assertInstanceOf(Outcome.Value.class, m.pom(block, r));
        String out = r.take();
        assertEquals("natives-1.0-linux.jar", fileNames(r.added), out);
        assertTrue(out.contains("left out (not on a runtime class path): t.spindle:app:1.0 (scope test)"), out);

        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>me</groupId><artifactId>nb</artifactId><version>1</version>
                  <properties><greeter.version>1.0</greeter.version></properties>
                  <dependencyManagement><dependencies>
                    <dependency><groupId>t.spindle</groupId><artifactId>mid</artifactId><version>1.0</version></dependency>
                  </dependencies></dependencyManagement>
                  <dependencies>
                    <dependency><groupId>t.spindle</groupId><artifactId>greeter</artifactId><version>${greeter.version}</version>
                      <exclusions><exclusion><groupId>t.spindle</groupId><artifactId>words</artifactId></exclusion></exclusions>
                    </dependency>
                    <dependency><groupId>t.spindle</groupId><artifactId>mid</artifactId></dependency>
                  </dependencies>
                </project>""");
        r.added.clear();
        assertInstanceOf(Outcome.Value.class, m.loadFromPom(pom.toString(), r), r.out.toString());
        assertEquals("greeter-1.0.jar,mid-1.0.jar,common-2.0.jar", fileNames(r.added), r.take());

        for (String bad : List.of("<dependencies><dependency>", "<foo/>",
                "<dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>${nope}</version></dependency></dependencies>")) {
            Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, m.pom(bad, r), bad);
            assertEquals("UsageError", f.ename(), f.evalue());
        }
        assertInstanceOf(Outcome.Failure.class, m.loadFromPom(dir.resolve("missing.xml").toString(), r));
    }

    @Test
    void slowDownloadsShowLiveProgress() {
        Recorder r = new Recorder();
        long[] now = {0};
        DownloadProgress p = new DownloadProgress(r, () -> now[0]);
        p.started("a.jar");
        assertFalse(p.shown(), "a quick resolution shows no progress display");
        now[0] += DownloadProgress.SHOW_AFTER_NS;
        p.transferred(2048);
        assertTrue(p.shown());
        p.finished("a.jar", 2048, true);
        p.done(true);
        String out = r.take();
        assertTrue(out.startsWith("[live] downloading 0 of 1 file, 2.0 KB"), out);
        assertTrue(out.contains("[update] downloaded 1 of 1 file, 2.0 KB"), out);
    }

    @Test
    void theWarmupResolvesWithoutTheNetwork() {
        MavenWarmup.run(); // throws if it could not resolve its own little repository
    }

    private static URL[] urls(List<Path> ps) throws Exception {
        URL[] u = new URL[ps.size()];
        for (int i = 0; i < u.length; i++) u[i] = ps.get(i).toUri().toURL();
        return u;
    }
}
