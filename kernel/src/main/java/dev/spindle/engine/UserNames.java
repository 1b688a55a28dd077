package dev.spindle.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error messages in the cell's terms. JShell compiles each snippet into a wrapper class
 * {@code REPL.$JShell$12} (a top-level variable {@code o} is its field {@code REPL.$JShell$12.o},
 * a class {@code Point} declared in a cell is {@code REPL.$JShell$12$Point}); javac and the JVM
 * name those in their messages. Here they become the names the user typed.
 */
final class UserNames {
    private static final String WRAPPER = "REPL\\.\\$JShell\\$\\d+[A-Z]*";
    /** {@code because "REPL.$JShell$103.o" is null} (a helpful NullPointerException message). */
    private static final Pattern NULL_VARIABLE = Pattern.compile("\"" + WRAPPER + "\\.([\\p{L}_$][\\p{L}\\p{N}_$]*)\" is null");
    private static final Pattern NESTED = Pattern.compile(WRAPPER + "\\$");
    private static final Pattern MEMBER = Pattern.compile(WRAPPER + "\\.");
    private static final Pattern BARE = Pattern.compile(WRAPPER);
    /** {@code (Foo and Bar are in unnamed module of loader jdk.jshell...RemoteClassLoader @1b2c)}. */
    private static final Pattern LOADER = Pattern.compile(
            " \\([^()]*(?: is| are) in unnamed module of loader [^()]*?(?:RemoteClassLoader|DefaultLoaderDelegate)[^()]*\\)");
    /** javac's {@code location: class } line, whose class (the wrapper) JShell erased. */
    private static final Pattern EMPTY_LOCATION = Pattern.compile("(?m)\\n?^\\s*location: class\\s*$");

    private UserNames() {
    }

    /** A runtime message: variables, methods and classes as the cell names them. */
    static String message(String text) {
        if (text == null || !text.contains("$JShell$")) return text;
        String s = NULL_VARIABLE.matcher(text).replaceAll(m -> "variable " + Matcher.quoteReplacement(m.group(1)) + " is null");
        s = LOADER.matcher(s).replaceAll("");
        return strip(s);
    }

    /** A class name: {@code REPL.$JShell$12$Point} becomes {@code Point}. */
    static String className(String name) {
        return name == null || !name.contains("$JShell$") ? name : strip(name);
    }

    /** A javac message as JShell passes it on, without the lines that name its wrapper. */
    static String compileMessage(String text) {
        if (text == null) return null;
        return strip(EMPTY_LOCATION.matcher(text).replaceAll(""));
    }

    private static String strip(String s) {
        s = NESTED.matcher(s).replaceAll("");
        s = MEMBER.matcher(s).replaceAll("");
        return BARE.matcher(s).replaceAll("");
    }
}
