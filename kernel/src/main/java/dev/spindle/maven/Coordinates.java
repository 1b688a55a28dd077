package dev.spindle.maven;

import java.util.regex.Pattern;

/**
 * Maven coordinates as {@code %maven} takes them, Maven Resolver's syntax:
 * {@code groupId:artifactId[:extension[:classifier]]:version}. The extension slot also takes a
 * Maven {@code type} ({@code test-jar}, {@code pom}), mapped as Maven maps it when resolving.
 * Parsed here, without the resolver, so a typo costs nothing and gets the usage line.
 *
 * @param type      a type or extension; "jar" when not given
 * @param classifier "" when not given
 */
record Coordinates(String groupId, String artifactId, String type, String classifier, String version) {
    static final String USAGE = "%maven groupId:artifactId[:extension[:classifier]]:version [...]"
            + "  e.g. %maven org.jctools:jctools-core:4.0.5";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.\\-+\\[\\](),]+");

    /** Parses one coordinate; throws with the offending text and the usage line. */
    static Coordinates parse(String text) {
        String[] p = text.strip().split(":", -1);
        if (p.length < 3 || p.length > 5) throw bad(text, "expected 3 to 5 parts separated by ':'");
        String version = p[p.length - 1];
        String type = p.length >= 4 ? p[2] : "jar";
        String classifier = p.length == 5 ? p[3] : "";
        for (int i = 0; i < p.length - 1; i++) {
            if (!PART.matcher(p[i]).matches() && !(i == 3 && p[i].isEmpty())) {
                throw bad(text, "'" + p[i] + "' is not a valid " + partName(i, p.length));
            }
        }
        if (!VERSION.matcher(version).matches()) throw bad(text, "'" + version + "' is not a valid version");
        return new Coordinates(p[0], p[1], type, classifier, version);
    }

    private static String partName(int i, int parts) {
        return switch (i) {
            case 0 -> "groupId";
            case 1 -> "artifactId";
            case 2 -> "extension or type";
            default -> "classifier";
        };
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("'" + text.strip() + "': " + why + ". Usage: " + USAGE);
    }

    /** groupId:artifactId, plus type and classifier when they are not the plain jar. */
    String key() {
        String k = groupId + ":" + artifactId;
        if (!type.equals("jar") || !classifier.isEmpty()) k += ":" + type;
        if (!classifier.isEmpty()) k += ":" + classifier;
        return k;
    }

    @Override
    public String toString() {
        return key() + ":" + version;
    }
}
