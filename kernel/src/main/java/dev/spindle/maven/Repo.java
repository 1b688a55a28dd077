package dev.spindle.maven;

import java.net.URI;
import java.util.regex.Pattern;

/** A remote repository added by {@code %mavenRepo} or a POM's {@code <repositories>}. */
record Repo(String id, String url) {
    static final String USAGE = "%mavenRepo ID URL  e.g. %mavenRepo jitpack https://jitpack.io"
            + "  (%mavenRepo alone lists the repositories)";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** Checks the id and that the URL is an absolute http, https or file URL. */
    static Repo of(String id, String url) {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("'" + id + "' is not a valid repository id. Usage: " + USAGE);
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL. Usage: " + USAGE);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("'" + url + "' must be an http, https or file URL. Usage: " + USAGE);
        }
        return new Repo(id, url);
    }

    @Override
    public String toString() {
        return id + " (" + url + ")";
    }
}
