package dev.spindle.concurrent;

import java.util.ArrayList;
import java.util.List;

/** A slice of a {@link Pool#map}: one message carries the function and several items. */
record MapChunk<T, R>(Fn<T, R> fn, List<T> items) implements Task<List<R>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<R> call() {
        List<R> out = new ArrayList<>(items.size());
        for (T item : items) out.add(fn.apply(item));
        return out;
    }
}
