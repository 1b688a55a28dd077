package dev.spindle.output;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code PrintStream} that hands text straight to the {@link StreamRouter} without
 * encoding it to bytes and back. Byte writes (rare: {@code write(int)}) are decoded as UTF-8.
 */
final class RoutedPrintStream extends PrintStream {
    private static final String NL = System.lineSeparator();
    private final StreamRouter router;
    private final String stream;

    RoutedPrintStream(StreamRouter router, String stream) {
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.router = router;
        this.stream = stream;
    }

    private void emit(String s) {
        router.write(stream, s);
    }

    @Override public void write(int b) { emit(new String(new byte[]{(byte) b}, StandardCharsets.UTF_8)); }
    @Override public void write(byte[] buf, int off, int len) { emit(new String(buf, off, len, StandardCharsets.UTF_8)); }
    @Override public void write(byte[] buf) { write(buf, 0, buf.length); }
    @Override public void writeBytes(byte[] buf) { write(buf, 0, buf.length); }
    @Override public void flush() { }
    @Override public void close() { }
    @Override public boolean checkError() { return false; }

    @Override public void print(boolean b) { emit(String.valueOf(b)); }
    @Override public void print(char c) { emit(String.valueOf(c)); }
    @Override public void print(int i) { emit(String.valueOf(i)); }
    @Override public void print(long l) { emit(String.valueOf(l)); }
    @Override public void print(float f) { emit(String.valueOf(f)); }
    @Override public void print(double d) { emit(String.valueOf(d)); }
    @Override public void print(char[] s) { emit(new String(s)); }
    @Override public void print(String s) { emit(String.valueOf(s)); }
    @Override public void print(Object obj) { emit(String.valueOf(obj)); }

    @Override public void println() { emit(NL); }
    @Override public void println(boolean x) { emit(x + NL); }
    @Override public void println(char x) { emit(x + NL); }
    @Override public void println(int x) { emit(x + NL); }
    @Override public void println(long x) { emit(x + NL); }
    @Override public void println(float x) { emit(x + NL); }
    @Override public void println(double x) { emit(x + NL); }
    @Override public void println(char[] x) { emit(new String(x) + NL); }
    @Override public void println(String x) { emit(x + NL); }
    @Override public void println(Object x) { emit(x + NL); }

    @Override public PrintStream printf(String format, Object... args) { emit(String.format(format, args)); return this; }
    @Override public PrintStream printf(Locale l, String format, Object... args) { emit(String.format(l, format, args)); return this; }
    @Override public PrintStream format(String format, Object... args) { emit(String.format(format, args)); return this; }
    @Override public PrintStream format(Locale l, String format, Object... args) { emit(String.format(l, format, args)); return this; }
    @Override public PrintStream append(CharSequence csq) { emit(String.valueOf(csq)); return this; }
    @Override public PrintStream append(CharSequence csq, int start, int end) { emit(String.valueOf(csq == null ? "null" : csq).substring(start, end)); return this; }
    @Override public PrintStream append(char c) { emit(String.valueOf(c)); return this; }
}
