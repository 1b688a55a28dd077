package dev.spindle.internal.process;

import dev.spindle.concurrent.Fn;
import dev.spindle.concurrent.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * A slice of a {@link Pool#map}: one message carries the function and several items. A class,
 * not a record: a new JVM reads its first record through method handles it has to spin.
 */
final class MapChunk<T, R> implements Task<List<R>> {
    private static final long serialVersionUID = 1L;
    private final Fn<T, R> fn;
    private final List<T> items;

    MapChunk(Fn<T, R> fn, List<T> items) {
        this.fn = fn;
        this.items = items;
    }

    @Override
    public List<R> call() {
        List<R> out = new ArrayList<>(items.size());
        for (T item : items) out.add(fn.apply(item));
        return out;
    }
}
