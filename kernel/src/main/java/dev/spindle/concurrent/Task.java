package dev.spindle.concurrent;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Work with a result, as a lambda: {@code () -> compute(10_000_000)}. Serializable, so the same
 * lambda can run on a thread or be sent to a child JVM (its result comes back by serialization).
 */
@FunctionalInterface
public interface Task<T> extends Callable<T>, Serializable {
}
