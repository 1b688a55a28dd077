package dev.spindle.internal.process.wire;

import dev.spindle.concurrent.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Serial} resolves classes through the loader it is given, as the kernel and the
 * child do for cell classes: a class that exists only in a custom loader (here compiled at
 * test time, like a cell) round-trips between two separate loaders.
 */
class SerialTest {
    @TempDir
    static Path dir;
    private static Path classes;

    record Plain(String name, int n, List<String> tags) implements Serializable {
    }

    @BeforeAll
    static void compileCellLikeClasses() throws Exception {
        Path src = dir.resolve("src/gen");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Point.java"), """
                package gen;
                public class Point implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    public final int x, y;
                    public final Point[] near;
                    public Point(int x, int y, Point... near) { this.x = x; this.y = y; this.near = near; }
                    public String toString() { return "Point(" + x + "," + y + ")+" + near.length; }
                }
                """);
        Files.writeString(src.resolve("Cells.java"), """
                package gen;
                import dev.spindle.concurrent.Task;
                public class Cells {
                    public static Task<String> task(int factor) {
                        Point p = new Point(2, 3);
                        return () -> "product " + (p.x * p.y * factor) + " by " + Cells.class.getClassLoader().getName();
                    }
                }
                """);
        classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        String taskJar = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-d", classes.toString(), "-cp", taskJar,
                src.resolve("Point.java").toString(), src.resolve("Cells.java").toString());
        assertEquals(0, rc, () -> err.toString(StandardCharsets.UTF_8));
    }

    /** A loader like the child's cell loader: its own copy of the generated classes. */
    private static URLClassLoader loader(String name) throws Exception {
        return new URLClassLoader(name, new URL[]{classes.toUri().toURL()}, SerialTest.class.getClassLoader());
    }

    @Test
    void plainValuesRoundTrip() throws Exception {
        Map<String, Object> value = new TreeMap<>();
        value.put("plain", new Plain("a", 1, List.of("x", "y")));
        value.put("numbers", new ArrayList<>(List.of(1, 2L, 3.0)));
        value.put("nothing", null);
        Object back = Serial.fromBytes(Serial.toBytes(value), SerialTest.class.getClassLoader());
        assertEquals(value, back);
    }

    @Test
    void aClassOnlyInACustomLoaderRoundTripsIntoAnotherLoader() throws Exception {
        try (URLClassLoader kernelSide = loader("kernel-cells"); URLClassLoader childSide = loader("child-cells")) {
            Class<?> pointA = kernelSide.loadClass("gen.Point");
            Object nearby = pointA.getConstructors()[0].newInstance(0, 0, java.lang.reflect.Array.newInstance(pointA, 0));
            Object[] near = (Object[]) java.lang.reflect.Array.newInstance(pointA, 1);
            near[0] = nearby;
            Object point = pointA.getConstructors()[0].newInstance(4, 5, near);
            byte[] bytes = Serial.toBytes(List.of(point, "text"));

            List<?> back = (List<?>) Serial.fromBytes(bytes, childSide);
            Object copy = back.get(0);
            Class<?> pointB = childSide.loadClass("gen.Point");
            assertNotSame(pointA, pointB);
            assertSame(pointB, copy.getClass(), "resolved through the given loader");
            assertSame(pointB, copy.getClass().getField("near").get(copy).getClass().getComponentType(),
                    "arrays of cell classes resolve through the given loader too");
            assertEquals("Point(4,5)+1", copy.toString());
            assertEquals(4, pointB.getField("x").getInt(copy));
            assertEquals("text", back.get(1));
        }
    }

    @Test
    void withoutTheLoaderTheClassIsNotFound() throws Exception {
        try (URLClassLoader kernelSide = loader("kernel-cells")) {
            Class<?> pointA = kernelSide.loadClass("gen.Point");
            Object point = pointA.getConstructors()[0].newInstance(1, 2, java.lang.reflect.Array.newInstance(pointA, 0));
            byte[] bytes = Serial.toBytes(point);
            assertThrows(ClassNotFoundException.class, () -> Serial.fromBytes(bytes, SerialTest.class.getClassLoader()));
        }
    }

    @Test
    void aSerializableLambdaFromACustomLoaderRunsInAnother() throws Exception {
        try (URLClassLoader kernelSide = loader("kernel-cells"); URLClassLoader childSide = loader("child-cells")) {
            Task<?> task = (Task<?>) kernelSide.loadClass("gen.Cells").getMethod("task", int.class).invoke(null, 7);
            assertEquals("product 42 by kernel-cells", task.call());
            Task<?> copy = (Task<?>) Serial.fromBytes(Serial.toBytes(task), childSide);
            assertSame(childSide, copy.getClass().getClassLoader(), "the lambda lives in the child's loader");
            assertEquals("product 42 by child-cells", copy.call());
        }
    }

    @Test
    void aTaskLambdaCrossesLoadersByWireToo() throws Exception {
        try (URLClassLoader kernelSide = loader("kernel-cells"); URLClassLoader childSide = loader("child-cells")) {
            Task<?> task = (Task<?>) kernelSide.loadClass("gen.Cells").getMethod("task", int.class).invoke(null, 7);
            byte[] bytes = Wire.encode(task);
            assertEquals(Wire.LAMBDA, bytes[0]);
            Task<?> copy = (Task<?>) Wire.decode(bytes, childSide);
            assertSame(childSide, copy.getClass().getClassLoader(), "the lambda lives in the child's loader");
            assertEquals("product 42 by child-cells", copy.call());
            assertThrows(ClassNotFoundException.class, () -> Wire.decode(bytes, SerialTest.class.getClassLoader()));
        }
    }

    @Test
    void notSerializableIsReportedWithTheClassName() {
        Object notSerializable = new Object[]{"fine", new Thread(() -> { })};
        java.io.NotSerializableException e = assertThrows(java.io.NotSerializableException.class,
                () -> Serial.toBytes(notSerializable));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
        java.io.UncheckedIOException u = assertThrows(java.io.UncheckedIOException.class,
                () -> Serial.toBytesUnchecked(notSerializable));
        assertInstanceOf(java.io.NotSerializableException.class, u.getCause());
    }
}
