package dev.spindle.internal.process;

import dev.spindle.concurrent.Pool;
import dev.spindle.concurrent.Worker;
import dev.spindle.concurrent.WorkerKind;
import dev.spindle.output.CellContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Everything the workers of one kernel share, as one object the kernel creates and closes: the
 * child JVM launcher (and its spares), the live workers and process pools, the CPU time of child
 * JVMs, the notebook state children start from, the hub of IPC objects and the shared-memory
 * directory. {@code Workers} and {@code Pools} are the static front doors cells call; they reach
 * the {@link #current()} runtime. The kernel-only calls (start, stop-by-cell, CPU sum, close) are
 * here, outside the user API package, so a cell cannot end the runtime under later cells.
 * <p>
 * It lives beside the child-JVM plumbing because almost all it owns is that plumbing; it also
 * tracks thread workers, since interrupting a cell stops every kind of worker the cell started.
 */
public final class WorkerRuntime implements AutoCloseable {
    /** How long a child JVM asked to stop may take before it is ended by force. */
    static final long STOP_GRACE_MS = 2000;

    private static volatile WorkerRuntime current;

    final ChildLauncher launcher = new ChildLauncher(this);
    private final Set<AbstractWorker<?>> workers = ConcurrentHashMap.newKeySet();
    private final Set<ProcessPool> pools = ConcurrentHashMap.newKeySet();
    /** Interrupted cells (weakly: a cell's context goes once nothing of it is left). */
    private final Set<CellContext> stoppedCells = Collections.newSetFromMap(new WeakHashMap<>());
    private final AtomicLong childCpu = new AtomicLong();
    private final IpcHub ipc = new IpcHub();
    private final SharedMemory sharedMemory = new SharedMemory();
    private final NotebookState notebook;
    private volatile boolean prefixOutput;

    private WorkerRuntime(NotebookState notebook) {
        this.notebook = notebook;
    }

    /**
     * Kernel start: a runtime whose children get the notebook's classes and variables from
     * {@code notebook}; it becomes {@link #current()}. Close it at kernel shutdown.
     */
    public static WorkerRuntime start(NotebookState notebook) {
        WorkerRuntime r = new WorkerRuntime(notebook);
        current = r;
        return r;
    }

    /** The kernel's runtime; without a kernel (unit tests, plain Java, a child JVM) one with no notebook. */
    public static WorkerRuntime current() {
        WorkerRuntime r = current;
        if (r != null) return r;
        synchronized (WorkerRuntime.class) {
            if (current == null) current = new WorkerRuntime(NotebookState.NONE);
            return current;
        }
    }

    // ---- kernel calls -------------------------------------------------------------------------

    /**
     * A cell was interrupted: stop what it, a thread it started or a pool task it submitted
     * started (all of them carry its output context), and refuse what they try to start from now.
     */
    public void stopStartedIn(CellContext cell) {
        if (cell == null) return;
        synchronized (stoppedCells) {
            stoppedCells.add(cell);
        }
        for (ProcessPool p : pools) p.stopTasksFrom(cell);
        for (AbstractWorker<?> w : workers) {
            if (w.cell == cell) w.requestStop();
        }
    }

    /** Whether {@code cell} was interrupted: what it starts now is stopped at once. */
    boolean stopped(CellContext cell) {
        if (cell == null) return false;
        synchronized (stoppedCells) {
            return stoppedCells.contains(cell);
        }
    }

    /** CPU time of child JVMs' tasks so far (never decreasing), for timing. */
    public long childCpuNanos() {
        return childCpu.get();
    }

    /** Kernel shutdown: no child JVM survives it, and the shared-memory files go. */
    @Override
    public void close() {
        launcher.keepSpare(false);
        for (ProcessPool p : pools) p.shutdownNow();
        for (AbstractWorker<?> w : workers) w.stop();
        sharedMemory.delete();
        synchronized (WorkerRuntime.class) {
            if (current == this) current = null;
        }
    }

    // ---- what the front doors (Workers, Pools) and shared objects reach -----------------------

    /** A child JVM worker, not started. */
    public <T> Worker<T> newProcessWorker(String name, Serializable task, List<String> jvmOptions) {
        return new ProcessWorker<>(this, name, task, jvmOptions);
    }

    /** {@code n} child JVMs, started now. */
    public Pool newProcessPool(int n, List<String> jvmOptions) {
        return new ProcessPool(this, n, jvmOptions);
    }

    /** JVM options for every child JVM started from now on. */
    public void jvmOptions(List<String> options) {
        launcher.setDefaultOptions(options);
    }

    /**
     * Jars or class directories added to the cells' class path ({@code %maven}, {@code %classpath}):
     * every child JVM started from now on gets them, and spare JVMs started before are replaced.
     * A child already running keeps its class path.
     */
    public void addChildClassPath(List<java.nio.file.Path> entries) {
        launcher.addClassPath(entries);
    }

    /** Whether each line a child prints is prefixed with its name and pid. */
    public void prefixOutput(boolean on) {
        prefixOutput = on;
    }

    /** How long spare child JVMs may stay unused before they are ended. */
    public void spareIdleTime(java.time.Duration idle) {
        launcher.spareIdleTime(idle);
    }

    /** Whether to keep spare child JVMs started. */
    public void keepSpareProcess(boolean on) {
        launcher.keepSpare(on);
    }

    /** Workers running now. */
    public List<Worker<?>> live() {
        return workers.stream().filter(Worker::isAlive).collect(Collectors.toCollection(ArrayList::new));
    }

    /** Process pools open now. */
    public List<Pool> pools() {
        return new ArrayList<>(pools);
    }

    /** Stops every live worker and process pool; returns how many. */
    public int stopAll() {
        List<AbstractWorker<?>> all = new ArrayList<>();
        for (AbstractWorker<?> w : workers) if (w.isAlive()) all.add(w);
        all.forEach(AbstractWorker::requestStop);
        List<ProcessPool> open = new ArrayList<>(pools);
        open.forEach(ProcessPool::shutdownNow);
        return all.size() + open.size();
    }

    /** The hub where shared objects register, so children can reach them. */
    public IpcHub ipc() {
        return ipc;
    }

    /** The directory of shared-memory and lock files. */
    public SharedMemory sharedMemory() {
        return sharedMemory;
    }

    /** The loader of the notebook's cell classes, to read back objects of types declared in cells. */
    public ClassLoader cellClassLoader() {
        return notebook.cellClassLoader();
    }

    // ---- for the workers and pools of this package --------------------------------------------

    NotebookState notebook() {
        return notebook;
    }

    boolean prefixesOutput() {
        return prefixOutput;
    }

    void addChildCpu(long nanos) {
        childCpu.addAndGet(nanos);
    }

    void started(AbstractWorker<?> w) {
        workers.add(w);
    }

    void ended(AbstractWorker<?> w) {
        workers.remove(w);
    }

    void opened(ProcessPool p) {
        pools.add(p);
    }

    void closed(ProcessPool p) {
        pools.remove(p);
    }

    /** Process workers started and not yet finished: how many spares to keep. */
    int runningProcesses() {
        int n = 0;
        for (AbstractWorker<?> w : workers) if (w.kind() == WorkerKind.PROCESS) n++;
        return n;
    }
}
