package dev.spindle.concurrent;

import dev.spindle.internal.process.NotebookState;
import dev.spindle.internal.process.WorkerRuntime;
import dev.spindle.internal.process.wire.Wire;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a cell sees through {@code import dev.spindle.concurrent.*}: no kernel-only method, and
 * shared objects that travel as an id and come back to the kernel as themselves.
 */
class UserApiTest {
    /** The kernel's calls, which live on {@link WorkerRuntime} now. */
    private static final Set<String> KERNEL_ONLY = Set.of("install", "shutdown", "stopStartedIn", "childCpuNanos",
            "cellLoader", "notebook", "discard", "close");

    @Test
    void noUserFacingClassHasAKernelOnlyMethod() {
        for (Class<?> c : List.of(Workers.class, Pools.class, SharedQueue.class, SharedEvent.class, SharedMap.class,
                SharedArray.class, SharedValue.class, ProcessLock.class, Pipe.class)) {
            for (Method m : c.getMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getDeclaringClass() != c) continue;
                assertFalse(KERNEL_ONLY.contains(m.getName()), c.getSimpleName() + "." + m.getName() + " is public");
            }
        }
    }

    @Test
    void sharedObjectsComeBackToTheKernelAsThemselves() throws Exception {
        for (Object o : List.of(new SharedQueue<String>(), new SharedEvent(), new SharedMap<String, Integer>())) {
            assertSame(o, Wire.decode(Wire.encode(o), getClass().getClassLoader()), o.getClass().getSimpleName());
        }
    }

    @Test
    void aClosedRuntimeLeavesTheNextOneWorking() {
        WorkerRuntime kernel = WorkerRuntime.start(NotebookState.NONE);
        SharedArray before = SharedArray.of(1, 2);
        kernel.close();
        assertNotSame(kernel, WorkerRuntime.current(), "a closed runtime is not current any more");
        SharedArray after = SharedArray.of(3);
        after.addAndGet(0, 1);
        assertEquals(4, after.get(0));
        assertEquals(2, before.length());
    }
}
