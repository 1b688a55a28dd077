package dev.spindle.internal.process.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * The compact binary form of what crosses between the kernel and a child JVM. A value is one
 * tag byte and its data: {@code null}, {@code String}, the boxed primitives and {@code byte[]}
 * are written directly, and so is a serializable lambda (its {@link SerializedLambda} form; its
 * captured values each by this codec when all are direct types, else together in one
 * serialization stream, which keeps two references to one object one object); anything else is
 * a Java serialization stream behind the {@link #SERIAL} tag. The message records ({@link RunRequest}, {@link TaskOutcome}, {@link IpcRequest},
 * {@link IpcReply}) use the helpers here for their fields.
 * <p>
 * Why not Java serialization for everything: a fresh {@code ObjectOutputStream} per small
 * message costs tens of microseconds in a warm JVM, and its first use in a new child JVM
 * (records are read through method handles) cost ~35 ms of a ~90 ms process start. The
 * first {@code ObjectInputStream} in a JVM costs ~25 ms more (its filter configuration starts
 * the platform logging and a service lookup), so a task lambda that captures only direct
 * values crosses without one. Both ends run the same jar, so the format needs no version.
 */
public final class Wire {
    static final byte NULL = 0;
    static final byte STRING = 1;
    static final byte INTEGER = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte FLOAT = 5;
    static final byte SHORT = 6;
    static final byte BYTE = 7;
    static final byte CHARACTER = 8;
    static final byte TRUE = 9;
    static final byte FALSE = 10;
    static final byte BYTES = 11;
    static final byte SERIAL = 12;
    static final byte LAMBDA = 13;

    private Wire() {
    }

    /**
     * One value as bytes: directly for the common types, by Java serialization otherwise.
     *
     * @throws java.io.NotSerializableException when the value (or something it holds) is
     *                                          neither a direct type nor {@code Serializable}
     */
    public static byte[] encode(Object value) throws IOException {
        // The exact class, not instanceof: a subclass (none exist for these final classes)
        // or any other type keeps its identity through serialization.
        if (value == null) return new byte[]{NULL};
        Class<?> c = value.getClass();
        if (c == Integer.class) return fixed(INTEGER, (Integer) value, 4);
        if (c == Long.class) return fixed(LONG, (Long) value, 8);
        if (c == String.class) {
            byte[] utf = ((String) value).getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[1 + utf.length];
            out[0] = STRING;
            System.arraycopy(utf, 0, out, 1, utf.length);
            return out;
        }
        if (c == Boolean.class) return new byte[]{(Boolean) value ? TRUE : FALSE};
        if (c == Double.class) return fixed(DOUBLE, Double.doubleToRawLongBits((Double) value), 8);
        if (c == Float.class) return fixed(FLOAT, Float.floatToRawIntBits((Float) value), 4);
        if (c == Short.class) return fixed(SHORT, (Short) value, 2);
        if (c == Byte.class) return new byte[]{BYTE, (Byte) value};
        if (c == Character.class) return fixed(CHARACTER, (Character) value, 2);
        if (c == byte[].class) {
            byte[] b = (byte[]) value;
            byte[] out = new byte[1 + b.length];
            out[0] = BYTES;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }
        if (c.isSynthetic() && value instanceof java.io.Serializable) {
            SerializedLambda lambda = serializedLambda(value);
            if (lambda != null) return lambda(lambda);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(SERIAL);
        Serial.writeTo(bytes, value);
        return bytes.toByteArray();
    }

    /** Whether {@link #encode} writes {@code value} itself, without serialization. */
    static boolean isDirect(Object value) {
        if (value == null) return true;
        Class<?> c = value.getClass();
        return c == Integer.class || c == Long.class || c == String.class || c == Boolean.class || c == Double.class
                || c == Float.class || c == Short.class || c == Byte.class || c == Character.class || c == byte[].class;
    }

    /** What Java serialization would write for a serializable lambda, or null for anything else. */
    private static SerializedLambda serializedLambda(Object value) {
        try {
            Method writeReplace = value.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(value) instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] lambda(SerializedLambda l) throws IOException {
        try (Out out = new Out(256)) {
            out.writeByte(LAMBDA);
            out.string(l.getCapturingClass());
            out.string(l.getFunctionalInterfaceClass());
            out.string(l.getFunctionalInterfaceMethodName());
            out.string(l.getFunctionalInterfaceMethodSignature());
            out.writeInt(l.getImplMethodKind());
            out.string(l.getImplClass());
            out.string(l.getImplMethodName());
            out.string(l.getImplMethodSignature());
            out.string(l.getInstantiatedMethodType());
            Object[] captured = new Object[l.getCapturedArgCount()];
            boolean direct = true;
            for (int i = 0; i < captured.length; i++) {
                captured[i] = l.getCapturedArg(i);
                direct &= isDirect(captured[i]);
            }
            if (direct) {
                out.writeInt(captured.length);
                for (Object v : captured) out.bytes(encode(v));
            } else {
                // One stream for all of them, as serialization of the lambda would have written:
                // two captured references to one object stay one object in the child.
                out.writeInt(-1);
                ByteArrayOutputStream stream = new ByteArrayOutputStream();
                Serial.writeTo(stream, captured);
                out.bytes(stream.toByteArray());
            }
            return out.toByteArray();
        }
    }

    /**
     * Makes the lambda the way deserialization does ({@code SerializedLambda.readResolve}): the
     * capturing class's own {@code $deserializeLambda$} checks it and links it.
     */
    private static Object lambda(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        SerializedLambda l;
        Class<?> capturing;
        try (In in = new In(data)) {
            in.skipBytes(1);
            capturing = Class.forName(in.string().replace('/', '.'), false, loader);
            String fiClass = in.string(), fiName = in.string(), fiSig = in.string();
            int kind = in.readInt();
            String implClass = in.string(), implName = in.string(), implSig = in.string(), instantiated = in.string();
            int n = in.readInt();
            Object[] captured;
            if (n < 0) {
                captured = (Object[]) Serial.readFrom(new ByteArrayInputStream(in.bytes()), loader);
            } else {
                if (n > in.available()) throw new StreamCorruptedException("bad captured count " + n);
                captured = new Object[n];
                for (int i = 0; i < n; i++) captured[i] = decode(in.bytes(), loader);
            }
            in.end();
            l = new SerializedLambda(capturing, fiClass, fiName, fiSig, kind, implClass, implName, implSig,
                    instantiated, captured);
        }
        try {
            Method deserialize = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            deserialize.setAccessible(true);
            return deserialize.invoke(null, l);
        } catch (InvocationTargetException e) {
            throw (IOException) new InvalidObjectException("cannot make lambda " + l.getImplMethodName()
                    + ": " + e.getCause()).initCause(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw (IOException) new InvalidObjectException("cannot make lambda " + l.getImplMethodName() + ": " + e)
                    .initCause(e);
        }
    }

    /** A value written by {@link #encode}; classes of serialized values resolve through {@code loader}. */
    public static Object decode(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        if (data == null || data.length == 0) throw new StreamCorruptedException("empty value");
        int n = data.length - 1;
        return switch (data[0]) {
            case NULL -> null;
            case INTEGER -> (int) fixed(data, 4);
            case LONG -> fixed(data, 8);
            case STRING -> new String(data, 1, n, StandardCharsets.UTF_8);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case DOUBLE -> Double.longBitsToDouble(fixed(data, 8));
            case FLOAT -> Float.intBitsToFloat((int) fixed(data, 4));
            case SHORT -> (short) fixed(data, 2);
            case BYTE -> (byte) fixed(data, 1);
            case CHARACTER -> (char) fixed(data, 2);
            case BYTES -> java.util.Arrays.copyOfRange(data, 1, data.length);
            case SERIAL -> Serial.readFrom(new ByteArrayInputStream(data, 1, n), loader);
            case LAMBDA -> lambda(data, loader);
            default -> throw new StreamCorruptedException("unknown value tag " + data[0]);
        };
    }

    private static byte[] fixed(byte tag, long v, int size) {
        byte[] out = new byte[1 + size];
        out[0] = tag;
        for (int i = size; i >= 1; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    /** The big-endian number after the tag; checks the length so a short value fails loudly. */
    private static long fixed(byte[] data, int size) throws StreamCorruptedException {
        if (data.length != 1 + size) throw new StreamCorruptedException("value of tag " + data[0] + " has " + (data.length - 1) + " bytes");
        long v = 0;
        for (int i = 1; i <= size; i++) v = (v << 8) | (data[i] & 0xff);
        // sign-extend, so (int)/(short)/(byte) casts above see the written value
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    // ---- fields of the message records ---------------------------------------------------

    /** A writer for one message; {@link #toByteArray()} at the end. */
    static final class Out extends DataOutputStream {
        Out(int size) {
            super(new ByteArrayOutputStream(size));
        }

        /** A byte array that may be null (length -1). */
        void bytes(byte[] b) throws IOException {
            if (b == null) {
                writeInt(-1);
            } else {
                writeInt(b.length);
                write(b);
            }
        }

        /** A string of any length that may be null (not {@code writeUTF}: that stops at 64 KB). */
        void string(String s) throws IOException {
            bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return ((ByteArrayOutputStream) out).toByteArray();
        }
    }

    /** A reader for one message written with {@link Out}. */
    static final class In extends DataInputStream {
        In(byte[] data) {
            super(new ByteArrayInputStream(data));
        }

        byte[] bytes() throws IOException {
            int n = readInt();
            if (n < 0) return null;
            if (n > available()) throw new StreamCorruptedException("field of " + n + " bytes in a shorter message");
            byte[] b = new byte[n];
            readFully(b);
            return b;
        }

        String string() throws IOException {
            byte[] b = bytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        /** A count of following entries, checked against what is left so garbage cannot allocate much. */
        int count() throws IOException {
            int n = readInt();
            if (n < 0 || n > available()) throw new StreamCorruptedException("bad entry count " + n);
            return n;
        }

        /** Fails if bytes are left over: the writer and reader disagree about the format. */
        void end() throws IOException {
            if (available() > 0) throw new StreamCorruptedException(available() + " unread bytes after a message");
        }
    }

    /** Wraps the checked exception for messages that only hold bytes and strings. */
    static java.io.UncheckedIOException unchecked(IOException e) {
        return new java.io.UncheckedIOException(e);
    }
}
