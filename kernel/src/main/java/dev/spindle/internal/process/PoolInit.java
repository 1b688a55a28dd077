package dev.spindle.internal.process;

import dev.spindle.concurrent.Job;

/**
 * The first task a pool JVM runs: it only carries the notebook snapshot in its request. A
 * class, not a record: a new JVM reads its first record through method handles it has to spin.
 */
final class PoolInit implements Job {
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
    }
}
