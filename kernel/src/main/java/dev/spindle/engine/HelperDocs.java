package dev.spindle.engine;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Javadoc of Spindle's own helpers for inspect (Shift+Tab). JShell looks for documentation
 * only in the JDK's {@code src.zip}, so for {@code Workers.thread} it shows a bare signature.
 * The build copies the sources of the user-facing packages into the jar under {@link #ROOT};
 * this finds the element JShell's signature names in them (javac's parser, no compilation) and
 * returns its doc comment.
 */
final class HelperDocs {
    private static final Logger LOG = Logger.getLogger(HelperDocs.class.getName());
    static final String ROOT = "META-INF/spindle-src/";
    /** The last dotted name before the parameters: {@code dev.spindle.concurrent.Workers.thread} or {@code Pools.processes}. */
    private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*(\\(|$)");
    /** Where an unqualified name (JShell prints imported types by their simple name) may live. */
    private static final List<String> PACKAGES = List.of("dev/spindle/concurrent/", "dev/spindle/timing/",
            "dev/spindle/chart/", "dev/spindle/facts/", "dev/spindle/output/", "dev/spindle/magic/");
    private static final int CACHED_FILES = 16;

    /** Parsed source files by resource path; small and bounded (a notebook inspects a handful). */
    private static final Map<String, Optional<Parsed>> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Parsed>> eldest) {
            return size() > CACHED_FILES;
        }
    };

    private record Parsed(Trees trees, CompilationUnitTree unit) {
    }

    /** What a signature names: the class chain, the member (null for the class itself), the parameter types. */
    record Target(String topLevel, List<String> classes, String member, List<String> params) {
    }

    private HelperDocs() {
    }

    /** The doc comment of the Spindle element that {@code signature} (JShell's form) names, or null. */
    static String javadoc(String signature) {
        Target t = parse(signature);
        if (t == null) return null;
        Optional<Parsed> parsed;
        synchronized (CACHE) {
            parsed = CACHE.computeIfAbsent(t.topLevel(), HelperDocs::parseSource);
        }
        return parsed.map(p -> find(p, t)).orElse(null);
    }

    /**
     * Reads JShell's signature, e.g. {@code <T> dev.spindle.concurrent.Worker<T>
     * dev.spindle.concurrent.Workers.thread(java.lang.String name, dev.spindle.concurrent.Task<T> task)},
     * a constructor {@code dev.spindle.facts.Load(double wallSeconds, ...)} or a type
     * {@code dev.spindle.concurrent.Workers}.
     */
    static Target parse(String signature) {
        String head = signature;
        String params = null;
        int open = openingParenthesis(signature);
        if (open >= 0) {
            head = signature.substring(0, open);
            params = signature.substring(open + 1, signature.lastIndexOf(')') > open ? signature.lastIndexOf(')') : signature.length());
        }
        Matcher m = QUALIFIED.matcher(withoutTypeArguments(head).strip() + (open >= 0 ? "(" : ""));
        String qualified = null;
        while (m.find()) qualified = m.group(1);
        if (qualified == null) return null;
        if (!qualified.startsWith("dev.spindle.")) {
            String pkg = packageOf(qualified.split("\\.")[0]);
            if (pkg == null) return null;
            qualified = pkg.replace('/', '.') + qualified;
        }
        String[] parts = qualified.split("\\.");
        StringBuilder path = new StringBuilder();
        List<String> classes = new ArrayList<>();
        String member = null;
        for (String part : parts) {
            // Types are capitalised; a constant (DEFAULT_REPEATS, an enum's SPEEDUP) is all capitals.
            boolean type = Character.isUpperCase(part.charAt(0)) && !part.equals(part.toUpperCase(java.util.Locale.ROOT));
            if (classes.isEmpty() && !type) {
                path.append(part).append('/');
            } else if (type && member == null) {
                classes.add(part);
            } else {
                member = part;
            }
        }
        if (classes.isEmpty()) return null;
        // A constructor's "name" is its class: the last class of the chain, with parameters.
        if (member == null && params != null) member = "<init>";
        List<String> types = params == null ? null : parameterTypes(params);
        return new Target(path + classes.get(0) + ".java", classes, member, types);
    }

    /** The package (as a resource path) whose shipped sources hold top-level type {@code name}, or null. */
    private static String packageOf(String name) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) return null;
        ClassLoader loader = HelperDocs.class.getClassLoader();
        for (String pkg : PACKAGES) {
            if (loader.getResource(ROOT + pkg + name + ".java") != null) return pkg;
        }
        return null;
    }

    private static String withoutTypeArguments(String s) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (depth == 0) out.append(c);
        }
        return out.toString();
    }

    /** The '(' of the parameter list, skipping any inside generic bounds. */
    private static int openingParenthesis(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == '(' && depth == 0) return i;
        }
        return -1;
    }

    /** {@code java.lang.String name, java.util.List<T> xs, int... n} -> {@code String, List, int[]}. */
    static List<String> parameterTypes(String params) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i <= params.length(); i++) {
            char c = i < params.length() ? params.charAt(i) : ',';
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == ',' && depth == 0) {
                String p = params.substring(start, i).strip();
                if (!p.isEmpty()) out.add(simpleType(p.contains(" ") ? p.substring(0, lastSpaceOutsideGenerics(p)) : p));
                start = i + 1;
            }
        }
        return out;
    }

    private static int lastSpaceOutsideGenerics(String p) {
        int depth = 0, last = p.length();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == ' ' && depth == 0) last = i;
        }
        return last;
    }

    /** The type's simple name without type arguments; varargs as an array. */
    static String simpleType(String type) {
        String t = type.strip().replace("...", "[]");
        StringBuilder noArgs = new StringBuilder();
        int depth = 0;
        for (char c : t.toCharArray()) {
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (depth == 0 && !Character.isWhitespace(c)) noArgs.append(c);
        }
        String s = noArgs.toString();
        int dot = s.lastIndexOf('.', s.indexOf('[') >= 0 ? s.indexOf('[') : s.length());
        return dot >= 0 ? s.substring(dot + 1) : s;
    }

    private static Optional<Parsed> parseSource(String file) {
        try (InputStream in = HelperDocs.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) return Optional.empty();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) return Optional.empty();
            JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            };
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(source));
            for (CompilationUnitTree unit : task.parse()) return Optional.of(new Parsed(Trees.instance(task), unit));
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "reading the source of " + file, e);
            return Optional.empty();
        }
    }

    private static String find(Parsed p, Target t) {
        String[] found = new String[1];
        new TreePathScanner<Void, List<String>>() {
            @Override
            public Void visitClass(ClassTree node, List<String> outer) {
                List<String> chain = new ArrayList<>(outer);
                chain.add(node.getSimpleName().toString());
                if (chain.equals(t.classes())) {
                    if (t.member() == null) {
                        take(getCurrentPath());
                        return null;
                    }
                    for (Tree member : node.getMembers()) {
                        if (matches(member, t)) {
                            take(new TreePath(getCurrentPath(), member));
                            if (found[0] != null) return null;
                        }
                    }
                    // A record's canonical constructor is not in the source: its doc is the record's.
                    if ("<init>".equals(t.member())) take(getCurrentPath());
                    return null;
                }
                return chain.size() < t.classes().size() ? super.visitClass(node, chain) : null;
            }

            private void take(TreePath path) {
                if (found[0] == null) found[0] = p.trees().getDocComment(path);
            }
        }.scan(new TreePath(p.unit()), List.of());
        return found[0] == null || found[0].isBlank() ? null : found[0].strip();
    }

    private static boolean matches(Tree member, Target t) {
        if (member instanceof VariableTree v) return t.params() == null && v.getName().contentEquals(t.member());
        if (!(member instanceof MethodTree m) || !m.getName().contentEquals(t.member())) return false;
        if (t.params() == null) return true;
        if (m.getParameters().size() != t.params().size()) return false;
        for (int i = 0; i < t.params().size(); i++) {
            if (!simpleType(m.getParameters().get(i).getType().toString()).equals(t.params().get(i))) return false;
        }
        return true;
    }
}
