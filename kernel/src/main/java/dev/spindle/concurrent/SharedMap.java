package dev.spindle.concurrent;

import dev.spindle.internal.process.IpcHub;
import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map that lives in the kernel and that threads and child JVMs read and change, like the
 * dictionary of Python's {@code multiprocessing.Manager()}: every call from a child is a round
 * trip to the kernel, so it suits results and counters rather than tight loops. Keys and values
 * cross processes by serialization.
 * <pre>{@code
 * var results = new SharedMap<Integer, Long>();
 * for (int i = 0; i < 4; i++) { int k = i; Workers.process(() -> results.put(k, (long) k * k)).start(); }
 * }</pre>
 */
public final class SharedMap<K, V> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long id;
    private final transient ConcurrentHashMap<Object, Object> map;

    /** A new, empty map owned by this kernel. */
    public SharedMap() {
        map = new ConcurrentHashMap<>();
        id = SharedObjects.register(this, IpcHub.served(this::apply, r -> true)); // no operation waits
    }

    private SharedMap(long id) {
        this.id = id;
        this.map = null;
    }

    /** In a child: this map, operated on in the kernel. */
    static SharedMap<?, ?> proxy(long id) {
        return new SharedMap<>(id);
    }

    private boolean remote() {
        return map == null;
    }

    /** Sets {@code key} to {@code value}; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(K key, V value) {
        if (remote()) return (V) call("put", new Object[]{key, value});
        return (V) map.put(key, value);
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        if (remote()) return (V) call("get", new Object[]{key});
        return (V) map.get(key);
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(K key) {
        if (remote()) return (V) call("remove", new Object[]{key});
        return (V) map.remove(key);
    }

    /** Atomically adds {@code delta} to a {@code Long} value (missing counts as 0); returns the sum. */
    public long addAndGet(K key, long delta) {
        if (remote()) return (Long) call("add", new Object[]{key, delta});
        return (Long) map.merge(key, delta, (a, b) -> (Long) a + (Long) b);
    }

    /** Number of entries now. */
    public int size() {
        if (remote()) return (Integer) call("size", new Object[0]);
        return map.size();
    }

    /** True if {@code key} has a value. */
    public boolean containsKey(K key) {
        if (remote()) return (Boolean) call("contains", new Object[]{key});
        return map.containsKey(key);
    }

    /** A copy of the current entries. */
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        if (remote()) return (Map<K, V>) call("snapshot", new Object[0]);
        return new LinkedHashMap<>((Map<K, V>) (Map<?, ?>) map);
    }

    @Override
    public String toString() {
        return remote() ? "SharedMap (in the kernel)" : "SharedMap" + map;
    }

    private Object call(String op, Object[] args) {
        return value(SharedObjects.call(id, op, bytes(args), 0).value(), SharedObjects.taskLoader());
    }

    private IpcReply apply(IpcRequest r) {
        Object[] a = (Object[]) value(r.value(), SharedObjects.cellLoader());
        @SuppressWarnings("unchecked")
        SharedMap<Object, Object> self = (SharedMap<Object, Object>) (SharedMap<?, ?>) this;
        Object out = switch (r.op()) {
            case "put" -> self.put(a[0], a[1]);
            case "get" -> self.get(a[0]);
            case "remove" -> self.remove(a[0]);
            case "add" -> self.addAndGet(a[0], (Long) a[1]);
            case "size" -> self.size();
            case "contains" -> self.containsKey(a[0]);
            case "snapshot" -> self.snapshot();
            default -> null;
        };
        return new IpcReply(bytes(out), 0, false, null);
    }

    private static byte[] bytes(Object o) {
        return SharedObjects.encode(o, "SharedMap keys and values");
    }

    private static Object value(byte[] b, ClassLoader loader) {
        return SharedObjects.decode(b, loader, "SharedMap keys and values");
    }

    /** Only the id travels (see {@link SharedObjects.Ref}). */
    private Object writeReplace() {
        return new SharedObjects.Ref(id, SharedObjects.MAP);
    }
}
