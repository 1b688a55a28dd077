package dev.spindle.child;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Defines the notebook's cell classes in the child. All live in one loader (like JShell's), so
 * package-private access between cells works; a class that was not shipped is asked for.
 */
final class ChildClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    private final Function<String, byte[]> askKernel;

    ChildClassLoader(ClassLoader parent, Function<String, byte[]> askKernel) {
        super("spindle-cells", parent);
        this.askKernel = askKernel;
    }

    void add(Map<String, byte[]> classes) {
        bytes.putAll(classes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = bytes.remove(name);
        if (b == null && name.startsWith("REPL.")) b = askKernel.apply(name);
        if (b == null || b.length == 0) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
    }
}
