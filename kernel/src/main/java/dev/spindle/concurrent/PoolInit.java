package dev.spindle.concurrent;

/** The first task a pool JVM runs: it only carries the notebook snapshot in its request. */
record PoolInit() implements Job {
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
    }
}
