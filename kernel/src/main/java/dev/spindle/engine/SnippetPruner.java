package dev.spindle.engine;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Releases what JShell keeps of snippets that can never run again, so a long session stays
 * small and fast. JShell keeps every snippet it ever evaluated: replaced versions of a class
 * or method, every statement and expression, each with its wrapper source, and every class's
 * bytes three times (its class tracker, its in-memory file manager, the class loader's
 * resource map); javac's pooled contexts keep a symbol for every wrapper class they read.
 * Every compile lists all of it (the file manager lists every class of the REPL package, and a
 * task listener copies the list of all snippets), so round trips grow with the session too.
 * <p>
 * What is released: snippets superseded by a newer snippet of the same declaration
 * (OVERWRITTEN ones), finished statements and expressions, dropped {@code $N} values, and the
 * wrapper sources and class bytes of all of them. What stays: every current snippet of a declaration (active, dropped or
 * rejected: its sequence number names the next version's class), its classes and bytes.
 * Loaded classes stay loaded (one class loader holds them all, and threads of earlier cells
 * may still run them); what they cost is a few KB of metaspace each, not heap.
 * <p>
 * JShell has no API for this, so the pruner reaches its fields by reflection: the kernel jar's
 * manifest opens {@code jdk.jshell} to it ({@code Add-Opens}). The fields are the same on JDK
 * 17 and 25; if a JDK lacks one, or the module is not open, the pruner says so once in the log
 * and does nothing, and JShell works as before.
 * <p>
 * Called between cells only, with the JShell lock held: nothing else reads these maps then.
 */
final class SnippetPruner {
    private static final Logger LOG = Logger.getLogger(SnippetPruner.class.getName());
    private static final String REPL = "REPL.";

    private final Fields f;

    SnippetPruner() {
        Fields fields;
        try {
            fields = new Fields();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot release replaced snippets on this JDK (" + e
                    + "); long sessions will grow as in plain JShell", e);
            fields = null;
        }
        this.f = fields;
    }

    /** How many snippets JShell holds now (current and released-able), or -1 if unknown. */
    int heldSnippets(JShell js) {
        if (f == null) return -1;
        try {
            return snippets(js).size();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Releases superseded and finished snippets of {@code js} and their classes' bytes,
     * also from {@code control}'s loader; with {@code resetCompiler}, javac's pooled contexts
     * too (the next compile builds a fresh one, which costs it some tens of milliseconds).
     * Returns the binary names of the classes that are still current.
     */
    Set<String> prune(JShell js, CellExecutionControl control, boolean resetCompiler, int[] released) {
        if (f == null) return null;
        try {
            Object maps = f.maps.get(js);
            @SuppressWarnings("unchecked") Set<Snippet> snippets = (Set<Snippet>) f.snippets.get(maps);
            @SuppressWarnings("unchecked") List<Snippet> byKey = (List<Snippet>) f.byKey.get(maps);
            @SuppressWarnings("unchecked") Map<String, ?> varKeys = (Map<String, ?>) f.varMap.get(f.keyMap.get(js));
            int removed = 0;
            Set<String> keptWrappers = new HashSet<>(); // short names: $JShell$7B
            for (Iterator<Snippet> it = snippets.iterator(); it.hasNext(); ) {
                Snippet s = it.next();
                int index = f.index.getInt(f.key.get(s));
                boolean current = index < byKey.size() && byKey.get(index) == s;
                boolean droppedValue = s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                        && js.status(s) == Snippet.Status.DROPPED;
                if (current && s.kind().isPersistent() && !droppedValue) {
                    String name = wrapperName(s);
                    if (name != null) keptWrappers.add(name);
                    continue;
                }
                // Superseded by a newer version of the same declaration, a statement or
                // expression that has run, or a dropped $N value: nothing can name it again.
                // (A current declaration stays even when dropped: its sequence number names
                // the class of its next version, and a name loaded twice cannot be defined.)
                it.remove();
                if (current) byKey.set(index, null);
                // A later "$12" gets a key, and so a class name, of its own.
                if (current && droppedValue) varKeys.remove(((jdk.jshell.VarSnippet) s).name());
                removed++;
            }
            // Who depends on a name, by key index: forget the keys that are gone.
            @SuppressWarnings("unchecked") Map<String, Set<Integer>> deps = (Map<String, Set<Integer>>) f.dependencies.get(maps);
            for (Iterator<Set<Integer>> it = deps.values().iterator(); it.hasNext(); ) {
                Set<Integer> users = it.next();
                users.removeIf(i -> i >= byKey.size() || byKey.get(i) == null);
                if (users.isEmpty()) it.remove();
            }
            Set<String> keptFull = new HashSet<>();
            for (String w : keptWrappers) keptFull.add(REPL + w);

            int classes = 0;
            @SuppressWarnings("unchecked") Map<String, ?> outers = (Map<String, ?>) f.classOuters.get(f.outerMap.get(js));
            outers.keySet().removeIf(k -> !keptWrappers.contains(k));
            @SuppressWarnings("unchecked") Map<String, ?> tracked = (Map<String, ?>) f.trackerMap.get(f.classTracker.get(js));
            classes += removeStale(tracked.keySet(), keptFull, false);
            Object taskFactory = f.taskFactory.get(js);
            @SuppressWarnings("unchecked") Map<String, ?> files = (Map<String, ?>) f.classObjects.get(f.fileManager.get(taskFactory));
            removeStale(files.keySet(), keptFull, false);
            Object delegate = f.loaderDelegate.get(control);
            if (f.klasses.getDeclaringClass().isInstance(delegate)) {
                @SuppressWarnings("unchecked") Map<String, ?> klasses = (Map<String, ?>) f.klasses.get(delegate);
                removeStale(klasses.keySet(), keptFull, false);
                @SuppressWarnings("unchecked") Map<String, ?> resources = (Map<String, ?>) f.classFiles.get(f.loader.get(delegate));
                removeStale(resources.keySet(), keptFull, true);
            }
            if (resetCompiler) f.initTaskPool.invoke(taskFactory);
            released[0] = removed;
            released[1] = classes;
            return keptFull;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "releasing replaced snippets failed; JShell keeps them", e);
            return null;
        }
    }

    /** Removes the names of cell classes that belong to no kept wrapper; returns how many. */
    private static int removeStale(Set<String> names, Set<String> keptFull, boolean resourceNames) {
        int before = names.size();
        names.removeIf(n -> {
            String binary = resourceNames ? resourceToBinary(n) : n;
            return binary != null && binary.startsWith(REPL + "$JShell$") && !isKept(binary, keptFull);
        });
        return before - names.size();
    }

    /** {@code REPL/$JShell$7B$Tally.class} is {@code REPL.$JShell$7B$Tally}; null for other resources. */
    private static String resourceToBinary(String resource) {
        if (!resource.startsWith("REPL/") || !resource.endsWith(".class")) return null;
        return REPL + resource.substring("REPL/".length(), resource.length() - ".class".length());
    }

    /** {@code REPL.$JShell$7B$Tally} is kept when {@code REPL.$JShell$7B} is. */
    static boolean isKept(String binaryName, Set<String> keptFull) {
        if (keptFull.contains(binaryName)) return true;
        int start = (REPL + "$JShell$").length();
        for (int i = binaryName.indexOf('$', start); i >= 0; i = binaryName.indexOf('$', i + 1)) {
            if (keptFull.contains(binaryName.substring(0, i))) return true;
        }
        return false;
    }

    private String wrapperName(Snippet s) throws ReflectiveOperationException {
        Object outer = f.outer.get(s);
        return outer == null ? null : (String) f.className.invoke(outer);
    }

    private Set<Snippet> snippets(JShell js) throws ReflectiveOperationException {
        @SuppressWarnings("unchecked") Set<Snippet> s = (Set<Snippet>) f.snippets.get(f.maps.get(js));
        return s;
    }

    /** The JShell internals the pruner uses, found once. */
    private static final class Fields {
        final Field maps, snippets, byKey, dependencies, keyMap, varMap, key, index, outer, outerMap, classOuters,
                classTracker, trackerMap, taskFactory, fileManager, classObjects, loaderDelegate, klasses, loader, classFiles;
        final Method className, initTaskPool;

        Fields() throws ReflectiveOperationException {
            maps = field(JShell.class, "maps");
            Class<?> snippetMaps = maps.getType();
            snippets = field(snippetMaps, "snippets");
            byKey = field(snippetMaps, "keyIndexToSnippet");
            dependencies = field(snippetMaps, "dependencies");
            keyMap = field(JShell.class, "keyMap");
            varMap = field(keyMap.getType(), "varMap");
            key = field(Snippet.class, "key");
            index = field(key.getType(), "index");
            outer = field(Snippet.class, "outer");
            className = method(outer.getType(), "className");
            outerMap = field(JShell.class, "outerMap");
            classOuters = field(outerMap.getType(), "classOuters");
            classTracker = field(JShell.class, "classTracker");
            trackerMap = field(classTracker.getType(), "map");
            taskFactory = field(JShell.class, "taskFactory");
            fileManager = field(taskFactory.getType(), "fileManager");
            classObjects = field(fileManager.getType(), "classObjects");
            initTaskPool = method(taskFactory.getType(), "initTaskPool");
            loaderDelegate = field(jdk.jshell.execution.DirectExecutionControl.class, "loaderDelegate");
            Class<?> defaultDelegate = Class.forName("jdk.jshell.execution.DefaultLoaderDelegate");
            klasses = field(defaultDelegate, "klasses");
            loader = field(defaultDelegate, "loader");
            classFiles = field(loader.getType(), "classFiles");
        }

        private static Field field(Class<?> c, String name) throws NoSuchFieldException {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true); // InaccessibleObjectException (a RuntimeException) when not opened
            return f;
        }

        private static Method method(Class<?> c, String name) throws NoSuchMethodException {
            Method m = c.getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        }
    }
}
