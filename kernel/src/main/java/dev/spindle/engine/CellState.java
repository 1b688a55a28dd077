package dev.spindle.engine;

import dev.spindle.internal.process.NotebookState;
import jdk.jshell.JShell;
import jdk.jshell.VarSnippet;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The notebook seen from a child JVM. A snippet with id N compiles to class
 * {@code REPL.$JShell$N} (nested types {@code REPL.$JShell$N$Name}); a recompiled snippet gets
 * a letter suffix ({@code $JShell$6B}). The newest load of a snippet's wrapper is its live one.
 */
final class CellState implements NotebookState {
    private static final Logger LOG = Logger.getLogger(CellState.class.getName());
    private static final String PREFIX = "REPL.$JShell$";

    interface ShellAccess {
        <T> T withShell(Function<JShell, T> f, T fallback);
    }

    private final ShellAccess shell;
    private final CellExecutionControl control;

    CellState(ShellAccess shell, CellExecutionControl control) {
        this.shell = shell;
        this.control = control;
    }

    @Override
    public Map<String, byte[]> liveClasses() {
        Set<String> liveIds = shell.withShell(js -> {
            Set<String> ids = new HashSet<>();
            js.snippets().filter(s -> js.status(s).isActive()).forEach(s -> ids.add(s.id()));
            return ids;
        }, Set.of());
        // Newest wrapper per snippet id, plus its nested classes.
        Map<String, String> newestWrapper = new HashMap<>();
        for (String name : control.classBytes.keySet()) {
            String id = snippetId(name);
            if (id == null || !liveIds.contains(id) || name.indexOf('$', PREFIX.length()) >= 0) continue;
            String current = newestWrapper.get(id);
            if (current == null || control.loadOrder.getOrDefault(name, 0L) > control.loadOrder.getOrDefault(current, 0L)) {
                newestWrapper.put(id, name);
            }
        }
        Map<String, byte[]> live = new HashMap<>();
        for (Map.Entry<String, byte[]> e : control.classBytes.entrySet()) {
            String name = e.getKey();
            String id = snippetId(name);
            if (id == null) continue;
            String wrapper = newestWrapper.get(id);
            if (wrapper != null && (name.equals(wrapper) || name.startsWith(wrapper + "$"))) live.put(name, e.getValue());
        }
        return live;
    }

    @Override
    public Optional<byte[]> classBytes(String binaryName) {
        return control.anyClassBytes(binaryName);
    }

    @Override
    public List<Variable> variables() {
        List<VarSnippet> vars = shell.withShell(js -> js.variables().toList(), List.of());
        Map<String, String> wrappers = new HashMap<>();
        for (String name : control.classBytes.keySet()) {
            String id = snippetId(name);
            if (id == null || name.indexOf('$', PREFIX.length()) >= 0) continue;
            String current = wrappers.get(id);
            if (current == null || control.loadOrder.getOrDefault(name, 0L) > control.loadOrder.getOrDefault(current, 0L)) {
                wrappers.put(id, name);
            }
        }
        List<Variable> out = new ArrayList<>();
        for (VarSnippet v : vars) {
            String cls = wrappers.get(v.id());
            if (cls == null) continue;
            try {
                Field f = control.loadedClass(cls).getDeclaredField(v.name());
                f.setAccessible(true);
                out.add(new Variable(v.name(), v.typeName(), cls, f.get(null)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "cannot read variable " + v.name(), e);
            }
        }
        return out;
    }

    @Override
    public ClassLoader cellClassLoader() {
        ClassLoader loader = control.cellLoader();
        if (loader != null) return loader;
        for (String name : control.classBytes.keySet()) {
            try {
                return control.loadedClass(name).getClassLoader();
            } catch (ClassNotFoundException e) {
                // try the next one
            }
        }
        return CellState.class.getClassLoader();
    }

    /** "12" for {@code REPL.$JShell$12B$Point}; null for anything that is not a cell class. */
    static String snippetId(String binaryName) {
        if (!binaryName.startsWith(PREFIX)) return null;
        int i = PREFIX.length(), j = i;
        while (j < binaryName.length() && Character.isDigit(binaryName.charAt(j))) j++;
        return j > i ? binaryName.substring(i, j) : null;
    }
}
