package dev.spindle.concurrent;

/** Where a worker runs. Switching the kind is the only change needed to switch mechanism. */
public enum WorkerKind {
    /** A platform thread in this JVM: shares memory with the notebook. */
    THREAD,
    /** A virtual thread (Java 21+): cheap to create by the thousand, for blocking I/O. */
    VIRTUAL,
    /** A child JVM: its own memory and its own CPU scheduling, started like a fork of the notebook. */
    PROCESS
}
