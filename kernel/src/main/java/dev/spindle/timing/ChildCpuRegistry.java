package dev.spindle.timing;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registered {@link ChildCpuSource}s; read on every measurement, changed rarely. */
final class ChildCpuRegistry {
    private static final List<ChildCpuSource> SOURCES = new CopyOnWriteArrayList<>();

    private ChildCpuRegistry() {
    }

    static ChildCpuSource.Registration add(ChildCpuSource source) {
        Objects.requireNonNull(source, "source");
        SOURCES.add(source);
        return () -> SOURCES.remove(source);
    }

    static long total() {
        long sum = 0;
        for (ChildCpuSource s : SOURCES) {
            try {
                long v = s.childCpuNanos();
                if (v > 0) sum += v;
            } catch (RuntimeException e) {
                // a broken source must not break the timing of the user's cell
            }
        }
        return sum;
    }
}
