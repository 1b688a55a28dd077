package dev.spindle.maven;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Maven repository in a directory, made by the tests: POMs, jars of tiny compiled classes and
 * their SHA-1 files, laid out as Maven lays them out, reachable as a {@code file://} URL.
 */
final class TestRepo {
    final Path root;

    TestRepo(Path root) {
        this.root = root;
    }

    String url() {
        return root.toUri().toString();
    }

    /**
     * Publishes {@code g:a:v} (with {@code classifier}, may be empty): a jar of {@code sources}
     * (class name to Java source) compiled against {@code classPath}, and a POM listing
     * {@code deps} as {@code g:a:v} or {@code g:a:v:scope}.
     */
    Path publish(String g, String a, String v, String classifier, Map<String, String> sources, List<String> deps,
                 Path... classPath) throws IOException {
        Path dir = root.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Files.createDirectories(dir);
        StringBuilder pom = new StringBuilder("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>" + g + "</groupId>\n  <artifactId>" + a
                + "</artifactId>\n  <version>" + v + "</version>\n  <dependencies>\n");
        for (String d : deps) {
            String[] p = d.split(":");
            pom.append("    <dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(p[2]).append("</version>");
            if (p.length > 3) pom.append("<scope>").append(p[3]).append("</scope>");
            pom.append("</dependency>\n");
        }
        pom.append("  </dependencies>\n</project>\n");
        String base = a + "-" + v;
        write(dir.resolve(base + ".pom"), pom.toString().getBytes(StandardCharsets.UTF_8));
        Path jar = dir.resolve(base + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
        write(jar, jar(sources, classPath));
        return jar;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(bytes);
            Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), HexFormat.of().formatHex(sha));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jar(Map<String, String> sources, Path... classPath) throws IOException {
        Path src = Files.createTempDirectory("testrepo-src");
        Path out = Files.createTempDirectory("testrepo-classes");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17"));
        if (classPath.length > 0) {
            List<String> cp = new ArrayList<>();
            for (Path p : classPath) cp.add(p.toString());
            args.add("-cp");
            args.add(String.join(java.io.File.pathSeparator, cp));
        }
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) throw new IOException("javac failed: " + args);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(out)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                jar.putNextEntry(new JarEntry(out.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A class with one static method {@code name()} returning {@code value}. */
    static Map<String, String> constant(String className, String value) {
        int dot = className.lastIndexOf('.');
        return Map.of(className, "package " + className.substring(0, dot) + "; public class "
                + className.substring(dot + 1) + " { public static String value() { return \"" + value + "\"; } }");
    }
}
