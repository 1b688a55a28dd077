package dev.spindle.engine;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Runs cell code inside the kernel JVM. Each snippet runs on its own thread in the cell's
 * thread group, so the threads a cell starts can be found and stopped with it, and a snippet
 * that cannot be stopped can be abandoned without wedging the kernel.
 * <p>
 * It also records every cell class's bytecode as loaded (before weaving), for child JVMs, and
 * keeps the object the last snippet returned, so rich values (images, HTML) reach the frontend
 * as themselves rather than as JShell's string form.
 */
final class CellExecutionControl extends DirectExecutionControl {
    /** The bytecode of cell classes, unwoven, by binary name. */
    final Map<String, byte[]> classBytes = new ConcurrentHashMap<>();
    /** Load order of each class name, so the newest version of a recompiled snippet wins. */
    final Map<String, Long> loadOrder = new ConcurrentHashMap<>();
    /**
     * Classes of snippets JShell has released (replaced versions, finished statements),
     * deflated: a child JVM may still ask for one, for an object of an older version or a
     * lambda that a finished statement left in a list.
     */
    private final Map<String, byte[]> retired = new ConcurrentHashMap<>();
    private long loads;
    private volatile ClassLoader cellLoader;

    /** Told when cell code starts and stops running, so that compiling is counted apart. */
    final CompileClock compileClock = new CompileClock();

    private volatile CellRun run;
    private volatile Object lastValue;

    void setRun(CellRun run) {
        this.run = run;
    }

    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        ClassBytecodes[] woven = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            classBytes.put(cbcs[i].name(), cbcs[i].bytecodes());
            loadOrder.put(cbcs[i].name(), ++loads);
            woven[i] = new ClassBytecodes(cbcs[i].name(), CellCodeWeaver.weave(cbcs[i].bytecodes()));
        }
        super.load(woven);
        if (cellLoader == null && cbcs.length > 0) {
            try {
                cellLoader = findClass(cbcs[0].name()).getClassLoader();
            } catch (ClassNotFoundException e) {
                // loaded just now; cannot happen, and the next load tries again
            }
        }
    }

    /** The loader of cell classes (JShell's one loader), or null before the first load. */
    ClassLoader cellLoader() {
        return cellLoader;
    }

    /**
     * Moves the bytes of every class that belongs to none of {@code currentWrappers} (binary
     * names of the wrapper classes still current) to the deflated retired store; returns how many.
     */
    int retireClassesExcept(Set<String> currentWrappers) {
        int n = 0;
        for (Iterator<Map.Entry<String, byte[]>> it = classBytes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            if (SnippetPruner.isKept(e.getKey(), currentWrappers)) continue;
            retired.put(e.getKey(), deflate(e.getValue()));
            it.remove();
            loadOrder.remove(e.getKey());
            n++;
        }
        return n;
    }

    /** The bytes of any cell class ever loaded, current or retired. */
    Optional<byte[]> anyClassBytes(String name) {
        byte[] b = classBytes.get(name);
        if (b != null) return Optional.of(b);
        byte[] packed = retired.get(name);
        return packed == null ? Optional.empty() : Optional.of(inflate(packed));
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(bytes);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 16);
            byte[] buf = new byte[4096];
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] packed) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(packed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 3);
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("retired class bytes are corrupt", e);
        } finally {
            inf.end();
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        CellRun r = run;
        if (r == null) return super.invoke(doit);
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread snippet = new Thread(r.group, () -> {
            try {
                result[0] = doit.invoke(null);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, r.threadName());
        r.snippetThread = snippet;
        snippet.start();
        snippet.join(); // interruptible: the engine abandons a snippet that cannot be stopped
        Throwable f = failure[0];
        if (f != null) {
            if (r.stopRequested && stoppedBy(f)) throw new StoppedException();
            throw new InvocationTargetException(f);
        }
        if (r.stopRequested) throw new StoppedException();
        lastValue = result[0];
        return valueString(result[0]);
    }

    /** Running cell code, as opposed to compiling and loading it: see {@link CompileClock}. */
    @Override
    public String invoke(String className, String methodName)
            throws RunException, InternalException, EngineTerminationException {
        compileClock.pause();
        try {
            return super.invoke(className, methodName);
        } finally {
            compileClock.resume();
        }
    }

    @SuppressWarnings("removal")
    private static boolean stoppedBy(Throwable f) {
        return f instanceof CellStoppedError || f instanceof ThreadDeath || f instanceof InterruptedException;
    }

    /** A loaded cell class, for reading top-level variables. */
    Class<?> loadedClass(String name) throws ClassNotFoundException {
        return findClass(name);
    }

    /** JShell's hook for its own stop; the engine stops cells itself (see {@link CellRun}). */
    @Override
    public void stop() {
        CellRun r = run;
        if (r != null) r.requestStop();
    }

    static final class Provider implements ExecutionControlProvider {
        private final CellExecutionControl control;

        Provider(CellExecutionControl control) {
            this.control = control;
        }

        @Override
        public String name() {
            return "spindle";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
