package dev.spindle.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * One resolution of a tiny artifact from a repository written to a temporary directory, with
 * every repository mirrored to it (no network), for the kernel's {@code --warmup}: the
 * resolver's classes then go into the kernel's class-data archive, so the first {@code %maven}
 * of a session maps them instead of parsing and verifying them. They are still loaded only on
 * the first use.
 */
public final class MavenWarmup {
    private MavenWarmup() {
    }

    public static void run() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("spindle-maven-warmup");
            Path repo = dir.resolve("repo");
            for (String[] a : new String[][]{{"w", "1.0", "<dependency><groupId>t.warmup</groupId><artifactId>d</artifactId>"
                    + "<version>1.0</version></dependency>"}, {"d", "1.0", ""}}) {
                Path v = Files.createDirectories(repo.resolve("t/warmup").resolve(a[0]).resolve(a[1]));
                Files.writeString(v.resolve(a[0] + "-" + a[1] + ".pom"), "<project><modelVersion>4.0.0</modelVersion>"
                        + "<groupId>t.warmup</groupId><artifactId>" + a[0] + "</artifactId><version>" + a[1]
                        + "</version><dependencies>" + a[2] + "</dependencies></project>");
                try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(v.resolve(a[0] + "-" + a[1] + ".jar")))) {
                    jar.putNextEntry(new java.util.jar.JarEntry("w.txt"));
                }
            }
            Path settings = dir.resolve("settings.xml");
            Files.writeString(settings, "<settings><mirrors><mirror><id>w</id><mirrorOf>*</mirrorOf><url>"
                    + repo.toUri() + "</url></mirror></mirrors></settings>");
            Resolver r = new AetherResolver(new MavenConfig(dir, settings, null, dir.resolve("local")));
            Coordinates c = Coordinates.parse("t.warmup:w:1.0");
            r.resolve(new Resolver.Request(List.of(Wanted.of(c)), List.of(), Map.of(), List.of(Repo.of("x", repo.toUri().toString()))),
                    Resolver.Progress.NONE);
        } catch (IOException | Resolver.ResolutionException e) {
            throw new IllegalStateException("the %maven warm-up failed: " + e.getMessage(), e);
        } finally {
            if (dir != null) delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
