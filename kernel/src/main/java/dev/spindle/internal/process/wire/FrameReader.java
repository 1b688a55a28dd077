package dev.spindle.internal.process.wire;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames: a 4-byte magic, type, id, length, payload. The magic lets the reader
 * resynchronise when something else wrote to the same stream (a JVM crash report, a warning
 * from native code): those bytes come back as one {@link Frame#NOISE} frame instead of
 * corrupting the channel. One reader per stream, used by one thread.
 */
public final class FrameReader {
    static final int MAGIC = 0x53504e44; // "SPND"
    private static final int MAX_PAYLOAD = 512 << 20;
    private final DataInputStream in;
    private boolean magicConsumed;
    /** Look-ahead bytes of a noise run cut at its size limit; the scan resumes with them. */
    private boolean resumeNoise;
    private int noiseWindow;

    public FrameReader(InputStream raw) {
        this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    }

    /** The next frame; {@link EOFException} at the end of the stream. */
    public Frame next() throws IOException {
        if (resumeNoise) {
            resumeNoise = false;
            return noise(noiseWindow);
        }
        if (!magicConsumed) {
            int window = in.readInt();
            if (window != MAGIC) return noise(window);
        }
        magicConsumed = false;
        byte type = in.readByte();
        long id = in.readLong();
        int len = in.readInt();
        if (len < 0 || len > MAX_PAYLOAD) throw new IOException("bad frame length " + len);
        byte[] payload = new byte[len];
        in.readFully(payload);
        return new Frame(type, id, payload);
    }

    private Frame noise(int window) throws IOException {
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        while (true) {
            junk.write(window >>> 24);
            int b = in.read();
            if (b < 0) {
                for (int k = 2; k >= 0; k--) junk.write(window >>> (k * 8));
                return new Frame(Frame.NOISE, 0, junk.toByteArray());
            }
            window = (window << 8) | b;
            if (window == MAGIC) {
                magicConsumed = true;
                return new Frame(Frame.NOISE, 0, junk.toByteArray());
            }
            if (junk.size() >= 64 * 1024) {
                // The window's four bytes are not noise yet: they may start the next magic.
                resumeNoise = true;
                noiseWindow = window;
                return new Frame(Frame.NOISE, 0, junk.toByteArray());
            }
        }
    }
}
