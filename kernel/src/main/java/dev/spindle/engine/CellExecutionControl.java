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
import java.util.concurrent.ExecutionException;

/**
 * Runs cell code inside the kernel JVM. JShell compiles a cell on its runner thread; the code of
 * every snippet runs on the notebook's one {@link MainThread}, so thread-owned state lasts
 * across statements and cells, and a snippet that cannot be stopped costs a replaced main
 * thread, never a wedged kernel.
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
    private MainThread main;

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

    /** The main thread cells run on now: a new one if there is none yet or the last was replaced. */
    synchronized MainThread mainThread() {
        if (main == null || main.retired()) main = new MainThread();
        return main;
    }

    /** Ends the main thread (engine shutdown); not in {@code close()}: a JShell may be replaced. */
    synchronized void shutdownMain() {
        if (main != null) main.shutdown();
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        CellRun r = run;
        if (r == null) return super.invoke(doit); // JShell's own warm-up, on the kernel thread
        if (r.stopRequested) throw new StoppedException();
        // The value's string form is user code too (toString): it runs on main as well.
        MainThread.Job job = r.main.submit(r, () -> {
            Object value = doit.invoke(null);
            return new Object[]{value, valueString(value)};
        });
        Object[] done;
        try {
            done = (Object[]) job.result.get(); // interruptible: see Interrupter's last stage
        } catch (ExecutionException e) {
            Throwable f = e.getCause();
            if (f instanceof InvocationTargetException ite) {
                if (r.stopRequested && stoppedBy(ite.getCause())) throw new StoppedException();
                throw ite;
            }
            if (r.stopRequested) throw new StoppedException(); // main was replaced, or stopped late
            if (f instanceof Exception ex) throw ex; // from toString, as if it ran here
            if (f instanceof Error er) throw er;
            throw new InvocationTargetException(f);
        }
        if (r.stopRequested) throw new StoppedException();
        lastValue = done[0];
        return (String) done[1];
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

    /** JShell's hook for its own stop; the engine stops cells itself (see {@link Interrupter}). */
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
