package dev.spindle.internal.process.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Java serialization to and from bytes, resolving classes through a given loader (cell classes). */
public final class Serial {
    private Serial() {
    }

    public static byte[] toBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTo(bytes, o);
        return bytes.toByteArray();
    }

    public static Object fromBytes(byte[] data, ClassLoader loader) throws IOException, ClassNotFoundException {
        return readFrom(new ByteArrayInputStream(data), loader);
    }

    /** One serialization stream holding {@code o}, appended to {@code out}. */
    static void writeTo(OutputStream out, Object o) throws IOException {
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(o);
        }
    }

    /** The object of one serialization stream, classes resolved through {@code loader}. */
    static Object readFrom(InputStream in, ClassLoader loader) throws IOException, ClassNotFoundException {
        try (ObjectInputStream objects = new LoaderObjectInputStream(in, loader)) {
            return objects.readObject();
        }
    }

    /** For values known to serialize (our own records); wraps the checked exception. */
    public static byte[] toBytesUnchecked(Object o) {
        try {
            return toBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
