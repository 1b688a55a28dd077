package dev.spindle.concurrent;

import java.io.Serializable;
import java.util.function.Function;

/** A serializable function, for {@link Pool#map}: the same lambda runs on threads or in child JVMs. */
@FunctionalInterface
public interface Fn<T, R> extends Function<T, R>, Serializable {
}
