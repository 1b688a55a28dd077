package dev.spindle.maven;

import java.util.List;
import java.util.Map;

/**
 * The seam between the magics and Maven Resolver, in plain types, so that nothing of the
 * resolver is loaded until the first {@code %maven} (see {@link MavenMagics#resolver()}).
 */
interface Resolver {

    /**
     * A resolution to run.
     *
     * @param roots   what the user asked for
     * @param managed versions a POM's {@code <dependencyManagement>} sets
     * @param pinned  versions already loaded, by artifact key: transitive dependencies keep them
     * @param repos   repositories added by {@code %mavenRepo} or a POM, after the settings' ones
     */
    record Request(List<Wanted> roots, List<Wanted> managed, Map<String, String> pinned, List<Repo> repos) {
    }

    /** Resolves {@code request} transitively and downloads what is missing; reports transfers to {@code progress}. */
    Resolution resolve(Request request, Progress progress) throws ResolutionException;

    /** The repositories a resolution would use, mirrors applied, one line each. */
    List<String> describeRepositories(List<Repo> extra);

    /** The local repository (where downloads go). */
    java.nio.file.Path localRepository();

    /** A resolution that failed; the message is for the user: coordinates, repositories tried, cause. */
    final class ResolutionException extends Exception {
        private static final long serialVersionUID = 1L;

        ResolutionException(String message) {
            super(message);
        }
    }

    /** Transfers as they happen, from the resolver's threads. */
    interface Progress {
        void started(String resource);

        void transferred(long bytes);

        void finished(String resource, long bytes, boolean ok);

        Progress NONE = new Progress() {
            @Override
            public void started(String resource) {
            }

            @Override
            public void transferred(long bytes) {
            }

            @Override
            public void finished(String resource, long bytes, boolean ok) {
            }
        };
    }
}
