package dev.spindle.maven;

import java.nio.file.Path;
import java.util.List;

/**
 * What one resolution found, in plain terms (no resolver types): the files in class-path order,
 * the dependency tree as text, where Maven's "nearest wins" chose between two versions, where
 * an already loaded version was kept, and what was downloaded.
 */
record Resolution(List<Artifact> artifacts, String tree, List<String> conflicts, List<String> kept,
                  int downloads, long downloadedBytes) {

    /**
     * One resolved artifact.
     *
     * @param key     groupId:artifactId:extension:classifier, the identity two versions share
     * @param direct  asked for by the user rather than pulled in
     */
    record Artifact(String key, String version, Path file, boolean direct) {
        String coordinates() {
            String[] k = key.split(":", -1);
            String s = k[0] + ":" + k[1];
            if (!k[2].equals("jar") || !k[3].isEmpty()) s += ":" + k[2];
            if (!k[3].isEmpty()) s += ":" + k[3];
            return s + ":" + version;
        }

        /** Jars and class directories go on the class path; a pom or zip does not. */
        boolean onClassPath() {
            return file != null && (key.split(":", -1)[2].equals("jar") || java.nio.file.Files.isDirectory(file));
        }
    }
}
