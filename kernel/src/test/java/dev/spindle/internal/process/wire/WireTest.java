package dev.spindle.internal.process.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Wire}: every direct type and the serialization fallback round-trip; the messages too. */
class WireTest {
    private static final ClassLoader LOADER = WireTest.class.getClassLoader();

    record Point(int x, int y) implements Serializable {
    }

    static Stream<Object> directValues() {
        return Stream.of(
                0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xff, -129,
                0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40,
                "", "hello", "üñíçødé ✓ 𝄞", "x".repeat(70_000),
                true, false,
                0.0, -0.0, 3.5, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                0f, -2.25f, Float.NaN, Float.MAX_VALUE,
                (short) 0, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE,
                (byte) 0, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE,
                'a', '\0', '\uffff', 'é');
    }

    @ParameterizedTest
    @MethodSource("directValues")
    void directValuesKeepTheirValueAndExactType(Object value) throws Exception {
        byte[] bytes = Wire.encode(value);
        assertNotEquals(Wire.SERIAL, bytes[0], "written directly, not serialized");
        Object back = Wire.decode(bytes, LOADER);
        assertSame(value.getClass(), back.getClass());
        assertEquals(value, back);
    }

    @Test
    void smallValuesAreSmall() throws Exception {
        assertEquals(5, Wire.encode(12345).length);
        assertEquals(9, Wire.encode(7L).length);
        assertEquals(6, Wire.encode("hello").length);
        assertEquals(1, Wire.encode(null).length);
        assertEquals(1, Wire.encode(true).length);
    }

    @Test
    void nullRoundTrips() throws Exception {
        assertNull(Wire.decode(Wire.encode(null), LOADER));
    }

    @Test
    void byteArraysAreCopiedDirectly() throws Exception {
        byte[] data = {1, 2, 3, -128, 127, 0};
        byte[] bytes = Wire.encode(data);
        assertEquals(Wire.BYTES, bytes[0]);
        assertArrayEquals(data, (byte[]) Wire.decode(bytes, LOADER));
        assertArrayEquals(new byte[0], (byte[]) Wire.decode(Wire.encode(new byte[0]), LOADER));
    }

    /** Each value as one argument: JUnit would spread an Object[] into several. */
    static Stream<Arguments> fallbackValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", null);
        return Stream.of(new Point(3, 4), new ArrayList<>(List.of(1, "two", 3.0)), map, new int[]{1, 2},
                new Integer[]{1, null}, new java.math.BigInteger("123456789012345678901234567890"),
                java.time.Duration.ofMillis(5), new IllegalStateException("boom")).map(v -> Arguments.of((Object) v));
    }

    @ParameterizedTest
    @MethodSource("fallbackValues")
    void otherSerializableValuesFallBackToSerialization(Object value) throws Exception {
        byte[] bytes = Wire.encode(value);
        assertEquals(Wire.SERIAL, bytes[0]);
        Object back = Wire.decode(bytes, LOADER);
        assertSame(value.getClass(), back.getClass());
        if (value instanceof int[] a) assertArrayEquals(a, (int[]) back);
        else if (value instanceof Object[] a) assertArrayEquals(a, (Object[]) back);
        else if (value instanceof Throwable t) assertEquals(t.getMessage(), ((Throwable) back).getMessage());
        else assertEquals(value, back);
    }

    @Test
    void aValueThatCannotBeSerializedNamesItsClass() {
        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> Wire.encode(List.of(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void corruptValuesFailLoudly() {
        assertThrows(StreamCorruptedException.class, () -> Wire.decode(new byte[0], LOADER));
        assertThrows(StreamCorruptedException.class, () -> Wire.decode(new byte[]{99}, LOADER));
        assertThrows(StreamCorruptedException.class, () -> Wire.decode(new byte[]{Wire.INTEGER, 1, 2}, LOADER));
        assertThrows(StreamCorruptedException.class, () -> Wire.decode(new byte[]{Wire.LONG, 1, 2, 3, 4}, LOADER));
    }

    // ---- lambdas ----------------------------------------------------------------------------

    @Test
    void aLambdaCapturingDirectValuesIsWrittenWithoutSerialization() throws Exception {
        int factor = 6;
        String label = "answer";
        dev.spindle.concurrent.Task<String> task = () -> label + " " + factor * 7;
        byte[] bytes = Wire.encode(task);
        assertEquals(Wire.LAMBDA, bytes[0]);
        assertFalse(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("java.io.ObjectStream"),
                "no serialization stream inside");
        @SuppressWarnings("unchecked")
        dev.spindle.concurrent.Task<String> back = (dev.spindle.concurrent.Task<String>) Wire.decode(bytes, LOADER);
        assertNotSame(task, back);
        assertEquals("answer 42", back.call());
    }

    @Test
    void aLambdaWithNoCapturesAndOneOfAnotherInterfaceRoundTrip() throws Exception {
        dev.spindle.concurrent.Job job = () -> { };
        dev.spindle.concurrent.Fn<Integer, Integer> inc = x -> x + 1;
        assertEquals(Wire.LAMBDA, Wire.encode(job)[0]);
        ((Runnable) Wire.decode(Wire.encode(job), LOADER)).run();
        @SuppressWarnings("unchecked")
        dev.spindle.concurrent.Fn<Integer, Integer> back = (dev.spindle.concurrent.Fn<Integer, Integer>) Wire.decode(Wire.encode(inc), LOADER);
        assertEquals(5, back.apply(4));
    }

    @Test
    void otherCapturedValuesGoInOneStreamSoSharedReferencesStayShared() throws Exception {
        List<String> list = new ArrayList<>(List.of("a"));
        List<String> same = list;
        Point p = new Point(1, 2);
        dev.spindle.concurrent.Task<Boolean> task = () -> list == same && p.x() == 1 && list.add("b");
        byte[] bytes = Wire.encode(task);
        assertEquals(Wire.LAMBDA, bytes[0]);
        assertTrue(((dev.spindle.concurrent.Task<?>) Wire.decode(bytes, LOADER)).call().equals(true),
                "both captured references are one list after decoding");
        assertEquals(List.of("a"), list, "the copy changed, not the original");
    }

    @Test
    void aLambdaCapturingSomethingNotSerializableNamesIt() {
        Thread t = new Thread(() -> { });
        dev.spindle.concurrent.Task<String> task = () -> t.getName();
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> Wire.encode(task));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    @Test
    void aLambdaThatIsNotSerializableIsRefused() {
        Runnable plain = () -> { };
        assertThrows(NotSerializableException.class, () -> Wire.encode(plain));
    }

    // ---- messages ---------------------------------------------------------------------------

    @Test
    void runRequestRoundTrips() throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("REPL.$JShell$12", new byte[]{(byte) 0xca, (byte) 0xfe, 0, 1});
        classes.put("REPL.$JShell$13$Point", new byte[0]);
        List<RunRequest.VariableCopy> vars = List.of(
                new RunRequest.VariableCopy("REPL.$JShell$12", "x", Wire.encode(41)),
                new RunRequest.VariableCopy("REPL.$JShell$14", "names", Wire.encode(List.of("a", "b"))));
        RunRequest r = new RunRequest(7, "worker ✓", classes, vars, Serial.toBytes("task"), true);
        RunRequest back = RunRequest.decode(r.encode());
        assertEquals(7, back.taskId());
        assertEquals("worker ✓", back.workerName());
        assertEquals(classes.keySet(), back.classes().keySet());
        for (String k : classes.keySet()) assertArrayEquals(classes.get(k), back.classes().get(k));
        assertEquals(2, back.variables().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(vars.get(i).className(), back.variables().get(i).className());
            assertEquals(vars.get(i).name(), back.variables().get(i).name());
            assertArrayEquals(vars.get(i).value(), back.variables().get(i).value());
        }
        assertEquals(41, Wire.decode(back.variables().get(0).value(), LOADER));
        assertEquals("task", Serial.fromBytes(back.task(), LOADER));
        assertTrue(back.keepAlive());

        RunRequest empty = RunRequest.decode(new RunRequest(1, "p", Map.of(), List.of(), new byte[0], false).encode());
        assertTrue(empty.classes().isEmpty());
        assertTrue(empty.variables().isEmpty());
        assertFalse(empty.keepAlive());
    }

    @Test
    void taskOutcomeRoundTripsEachKind() throws Exception {
        TaskOutcome ok = TaskOutcome.decode(new TaskOutcome(3, Wire.encode(42L), null, null, 1234, 5678).encode());
        assertEquals(3, ok.taskId());
        assertEquals(42L, Wire.decode(ok.result(), LOADER));
        assertNull(ok.exception());
        assertNull(ok.failure());
        assertEquals(1234, ok.pid());
        assertEquals(5678, ok.cpuNanos());

        byte[] ex = Serial.toBytes(new IllegalArgumentException("bad"));
        TaskOutcome thrown = TaskOutcome.decode(new TaskOutcome(4, null, ex, null, 1, 2).encode());
        assertNull(thrown.result());
        assertEquals("bad", ((Throwable) Serial.fromBytes(thrown.exception(), LOADER)).getMessage());

        TaskOutcome.RemoteFailure rf = new TaskOutcome.RemoteFailure("x.Boom", null, new String[]{"a.b(C.java:1)", "d.e"});
        TaskOutcome failed = TaskOutcome.decode(new TaskOutcome(5, null, null, rf, 1, 2).encode());
        assertEquals("x.Boom", failed.failure().className());
        assertNull(failed.failure().message());
        assertEquals(Arrays.asList(rf.stack()), Arrays.asList(failed.failure().stack()));
    }

    @Test
    void ipcMessagesRoundTrip() throws Exception {
        IpcRequest req = IpcRequest.decode(new IpcRequest(9, "put", Wire.encode("item"), -1).encode());
        assertEquals(9, req.objectId());
        assertEquals("put", req.op());
        assertEquals("item", Wire.decode(req.value(), LOADER));
        assertEquals(-1, req.timeoutNanos());
        IpcRequest noValue = IpcRequest.decode(new IpcRequest(1, "size", null, 0).encode());
        assertNull(noValue.value());

        IpcReply reply = IpcReply.decode(new IpcReply(Wire.encode(7), 3, true, "no such queue").encode());
        assertEquals(7, Wire.decode(reply.value(), LOADER));
        assertEquals(3, reply.number());
        assertTrue(reply.timedOut());
        assertEquals("no such queue", reply.error());
        IpcReply empty = IpcReply.decode(new IpcReply(null, 0, false, null).encode());
        assertNull(empty.value());
        assertNull(empty.error());
    }

    @Test
    void aTruncatedOrPaddedMessageIsRejected() throws IOException {
        byte[] good = new IpcRequest(9, "put", Wire.encode("item"), -1).encode();
        assertThrows(IOException.class, () -> IpcRequest.decode(Arrays.copyOf(good, good.length - 3)));
        assertThrows(IOException.class, () -> IpcRequest.decode(Arrays.copyOf(good, good.length + 1)));
        byte[] run = new RunRequest(1, "p", Map.of("a", new byte[10]), List.of(), new byte[0], false).encode();
        assertThrows(IOException.class, () -> RunRequest.decode(Arrays.copyOf(run, 20)));
    }
}
