package dev.spindle.internal.process.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The kernel/child wire: frames written by {@link FrameWriter} come back from {@link FrameReader}. */
class FrameTransportTest {
    private static final byte[] MAGIC = {'S', 'P', 'N', 'D'};

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(Frame... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(bytes);
        for (Frame f : frames) w.write(f);
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Every frame until the end of the stream. */
    private static List<Frame> readAll(InputStream in) throws IOException {
        FrameReader r = new FrameReader(in);
        List<Frame> out = new ArrayList<>();
        while (true) {
            try {
                out.add(r.next());
            } catch (EOFException e) {
                return out;
            }
            assertTrue(out.size() < 100_000, "reader does not reach the end of the stream");
        }
    }

    private static void assertFrame(Frame expected, Frame actual) {
        assertEquals(expected.type(), actual.type(), "type");
        assertEquals(expected.id(), actual.id(), "id");
        assertArrayEquals(expected.payload(), actual.payload(), "payload");
    }

    /** Noise frames merged back into one byte array; the real frames in order. */
    private record Split(byte[] noise, List<Frame> frames) {
    }

    private static Split split(List<Frame> all) {
        ByteArrayOutputStream noise = new ByteArrayOutputStream();
        List<Frame> frames = new ArrayList<>();
        for (Frame f : all) {
            if (f.type() == Frame.NOISE) noise.writeBytes(f.payload());
            else frames.add(f);
        }
        return new Split(noise.toByteArray(), frames);
    }

    /** Hands out one byte per read, like a slow pipe. */
    private static final class Trickle extends FilterInputStream {
        Trickle(byte[] data) {
            super(new ByteArrayInputStream(data));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }

    // ---- round trip -----------------------------------------------------------------------

    @Test
    void framesRoundTripWithTypeIdAndPayload() throws IOException {
        byte[] big = new byte[1 << 20];
        new Random(42).nextBytes(big);
        Frame[] sent = {
                new Frame(Frame.READY, 0, utf8("12345")),
                new Frame(Frame.RUN, 7, utf8("run me")),
                new Frame(Frame.STDOUT, 0, utf8("héllo wörld ✓ 🎉\n")),
                new Frame(Frame.STOP, Long.MAX_VALUE, new byte[0]),
                new Frame(Frame.IPC_REQUEST, -3, new byte[]{0, 1, 2, (byte) 0xff}),
                new Frame(Frame.RESULT, 1L << 40, big),
                new Frame(Frame.CLASS_REQUEST, 9, MAGIC), // a payload that is itself the magic
        };
        List<Frame> got = readAll(new ByteArrayInputStream(encode(sent)));
        assertEquals(sent.length, got.size());
        for (int i = 0; i < sent.length; i++) assertFrame(sent[i], got.get(i));
        assertEquals("héllo wörld ✓ 🎉\n", got.get(2).text());
    }

    @Test
    void textFramesCarryUtf8() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameWriter(bytes).text(Frame.STDERR, "naïve → ok");
        Frame f = new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).next();
        assertEquals(Frame.STDERR, f.type());
        assertEquals(0, f.id());
        assertEquals("naïve → ok", f.text());
    }

    @Test
    void framesDecodeFromAStreamThatDeliversOneByteAtATime() throws IOException {
        Frame[] sent = {new Frame(Frame.STDOUT, 1, utf8("a")), new Frame(Frame.RESULT, 2, utf8("bc")),
                new Frame(Frame.READY, 3, new byte[0])};
        List<Frame> got = readAll(new Trickle(encode(sent)));
        assertEquals(sent.length, got.size());
        for (int i = 0; i < sent.length; i++) assertFrame(sent[i], got.get(i));
    }

    @Test
    void concurrentWritersNeverInterleaveFrames() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(bytes);
        int writers = 4, each = 500;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) w.write(Frame.STDOUT, id, utf8(("writer " + id + " line " + i + "\n").repeat(1 + i % 7)));
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        List<Frame> got = readAll(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(writers * each, got.size());
        int[] next = new int[writers];
        for (Frame f : got) {
            assertEquals(Frame.STDOUT, f.type());
            int id = (int) f.id();
            int i = next[id]++;
            assertEquals(("writer " + id + " line " + i + "\n").repeat(1 + i % 7), f.text());
        }
    }

    @Test
    void endOfStreamIsEofException() {
        FrameReader r = new FrameReader(new ByteArrayInputStream(new byte[0]));
        assertThrows(EOFException.class, r::next);
    }

    // ---- noise ----------------------------------------------------------------------------

    @Test
    void noiseBetweenFramesComesBackAsNoiseAndTheNextFrameStillDecodes() throws IOException {
        Frame a = new Frame(Frame.STDOUT, 1, utf8("before\n"));
        Frame b = new Frame(Frame.RESULT, 2, utf8("after"));
        byte[] junk = utf8("OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes\n");
        List<Frame> got = readAll(new ByteArrayInputStream(concat(encode(a), junk, encode(b))));
        assertEquals(3, got.size(), () -> "frames: " + got);
        assertFrame(a, got.get(0));
        assertEquals(Frame.NOISE, got.get(1).type());
        assertArrayEquals(junk, got.get(1).payload());
        assertFrame(b, got.get(2));
    }

    @Test
    void noiseBeforeTheFirstFrame() throws IOException {
        Frame a = new Frame(Frame.READY, 0, utf8("99"));
        byte[] junk = utf8("Picked up JAVA_TOOL_OPTIONS: -Dfoo=bar\n");
        List<Frame> got = readAll(new ByteArrayInputStream(concat(junk, encode(a))));
        assertEquals(2, got.size(), () -> "frames: " + got);
        assertEquals(Frame.NOISE, got.get(0).type());
        assertArrayEquals(junk, got.get(0).payload());
        assertFrame(a, got.get(1));
    }

    @Test
    void noiseThatLooksLikeTheStartOfTheMagic() throws IOException {
        Frame a = new Frame(Frame.STDOUT, 5, utf8("x"));
        byte[] junk = utf8("SPN SP SPNSPSPN");
        List<Frame> got = readAll(new ByteArrayInputStream(concat(junk, encode(a), junk, encode(a))));
        Split s = split(got);
        assertArrayEquals(concat(junk, junk), s.noise());
        assertEquals(2, s.frames().size());
        assertFrame(a, s.frames().get(0));
        assertFrame(a, s.frames().get(1));
    }

    @Test
    void noiseAtTheEndOfTheStream() throws IOException {
        Frame a = new Frame(Frame.STDOUT, 1, utf8("last frame"));
        byte[] junk = utf8("# A fatal error has been detected by the Java Runtime Environment\n");
        List<Frame> got = readAll(new ByteArrayInputStream(concat(encode(a), junk)));
        assertEquals(2, got.size(), () -> "frames: " + got);
        assertFrame(a, got.get(0));
        assertEquals(Frame.NOISE, got.get(1).type());
        assertArrayEquals(junk, got.get(1).payload());
    }

    @Test
    void noiseArrivingByteByByte() throws IOException {
        Frame a = new Frame(Frame.STDOUT, 1, utf8("one"));
        Frame b = new Frame(Frame.STDERR, 2, utf8("two"));
        byte[] junk = utf8("warning: something native wrote here\n");
        Split s = split(readAll(new Trickle(concat(encode(a), junk, encode(b)))));
        assertArrayEquals(junk, s.noise());
        assertEquals(2, s.frames().size());
        assertFrame(a, s.frames().get(0));
        assertFrame(b, s.frames().get(1));
    }

    /** A crash report is long: more noise than one noise frame holds, then more frames. */
    @Test
    void longNoiseIsKeptWholeAndTheNextFrameDecodes() throws IOException {
        StringBuilder report = new StringBuilder();
        for (int i = 0; report.length() < 200_000; i++) report.append("hs_err line ").append(i).append('\n');
        byte[] junk = utf8(report.toString());
        Frame a = new Frame(Frame.RESULT, 11, utf8("result after the crash report"));
        Split s = split(readAll(new ByteArrayInputStream(concat(junk, encode(a)))));
        assertEquals(1, s.frames().size(), "the frame after the noise is lost");
        assertFrame(a, s.frames().get(0));
        assertEquals(junk.length, s.noise().length, "bytes of noise lost or added");
        assertArrayEquals(junk, s.noise());
    }

    /** The magic of the next frame straddles the point where a long noise run is cut. */
    @ParameterizedTest
    @ValueSource(ints = {65_532, 65_533, 65_534, 65_535, 65_536, 65_537, 65_538, 65_539, 65_540, 65_541})
    void frameRightAfterLongNoiseDecodes(int noiseLength) throws IOException {
        byte[] junk = new byte[noiseLength];
        java.util.Arrays.fill(junk, (byte) '.');
        Frame a = new Frame(Frame.STDOUT, 3, utf8("still here"));
        Split s = split(readAll(new ByteArrayInputStream(concat(junk, encode(a)))));
        assertEquals(1, s.frames().size(), "the frame after " + noiseLength + " bytes of noise is lost");
        assertFrame(a, s.frames().get(0));
        assertEquals(noiseLength, s.noise().length, "bytes of noise lost or added");
    }

    @Test
    void anImpossibleLengthIsAnError() {
        byte[] bad = concat(MAGIC, new byte[]{Frame.STDOUT}, new byte[8], new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
        IOException e = assertThrows(IOException.class, () -> new FrameReader(new ByteArrayInputStream(bad)).next());
        assertTrue(e.getMessage().contains("length"), e.getMessage());
    }

    @Test
    void aTruncatedFrameIsEof() throws IOException {
        byte[] whole = encode(new Frame(Frame.RESULT, 1, utf8("0123456789")));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(cut)).next());
    }
}
