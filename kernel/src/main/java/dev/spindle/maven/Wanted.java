package dev.spindle.maven;

import java.util.List;

/**
 * One dependency asked for, by {@code %maven} or a POM: its coordinates, Maven scope (compile or
 * runtime reach the class path), and exclusions as {@code groupId:artifactId} ({@code *} allowed).
 */
record Wanted(Coordinates coordinates, String scope, List<String> exclusions) {
    Wanted {
        exclusions = List.copyOf(exclusions);
    }

    static Wanted of(Coordinates c) {
        return new Wanted(c, "compile", List.of());
    }
}
