package dev.spindle.concurrent;

import java.io.Serializable;

/**
 * Work with no result, as a lambda: {@code () -> System.out.println("hi")}. Serializable, so
 * the same lambda can run on a thread or be sent to a child JVM.
 */
@FunctionalInterface
public interface Job extends Runnable, Serializable {
}
