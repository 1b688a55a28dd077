package dev.spindle.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HelperDocsTest {
    @Test
    void readsJShellSignatures() {
        HelperDocs.Target m = HelperDocs.parse("<T> dev.spindle.concurrent.Worker<T> dev.spindle.concurrent.Workers"
                + ".thread(java.lang.String name, dev.spindle.concurrent.Task<T> task)");
        assertEquals(new HelperDocs.Target("dev/spindle/concurrent/Workers.java", List.of("Workers"), "thread",
                List.of("String", "Task")), m);
        HelperDocs.Target type = HelperDocs.parse("dev.spindle.concurrent.Worker<T>");
        assertEquals(List.of("Worker"), type.classes());
        assertNull(type.member());
        assertNull(type.params());
        HelperDocs.Target nested = HelperDocs.parse("dev.spindle.chart.Chart.BarBuilder dev.spindle.chart.Chart.bar(java.lang.String title)");
        assertEquals(List.of("Chart"), nested.classes());
        assertEquals("bar", nested.member());
        HelperDocs.Target constant = HelperDocs.parse("int dev.spindle.timing.Timeit.DEFAULT_REPEATS");
        assertEquals("DEFAULT_REPEATS", constant.member());
        HelperDocs.Target ctor = HelperDocs.parse("dev.spindle.facts.Load(double wallSeconds, double othersCpuSeconds, int cores)");
        assertEquals("<init>", ctor.member());
        assertEquals(List.of("double", "double", "int"), ctor.params());
        assertEquals(List.of("String[]", "Map"), HelperDocs.parameterTypes("java.lang.String... opts, java.util.Map<java.lang.String, java.util.List<T>> m"));
        assertNull(HelperDocs.parse("java.lang.String java.lang.String.valueOf(int i)"));
        assertNull(HelperDocs.parse("String String.valueOf(int i)"));
        // JShell prints imported types by their simple names.
        assertEquals(new HelperDocs.Target("dev/spindle/concurrent/Pools.java", List.of("Pools"), "processes",
                List.of("int", "String[]")), HelperDocs.parse("Pool Pools.processes(int n, String... jvmOptions)"));
    }

    @Test
    void findsTheDocOfTheRightOverload() {
        String withName = HelperDocs.javadoc("dev.spindle.concurrent.Worker<java.lang.Void> dev.spindle.concurrent.Workers"
                + ".thread(java.lang.String name, dev.spindle.concurrent.Job job)");
        String withoutName = HelperDocs.javadoc("dev.spindle.concurrent.Worker<java.lang.Void> dev.spindle.concurrent.Workers"
                + ".thread(dev.spindle.concurrent.Job job)");
        assertNotNull(withName, "the sources are in the jar under " + HelperDocs.ROOT);
        assertNotNull(withoutName);
        assertNotEquals(withName, withoutName);
        assertNotNull(HelperDocs.javadoc("dev.spindle.concurrent.Workers"), "a class's own doc");
        assertNotNull(HelperDocs.javadoc("dev.spindle.facts.Load(double wallSeconds, double othersCpuSeconds, int cores)"),
                "a record's constructor falls back to the record's doc");
        assertNull(HelperDocs.javadoc("void dev.spindle.concurrent.Workers.noSuchMethod()"));
    }
}
