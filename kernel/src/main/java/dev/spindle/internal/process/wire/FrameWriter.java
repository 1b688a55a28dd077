package dev.spindle.internal.process.wire;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes frames (see {@link FrameReader}); safe to share between threads. */
public final class FrameWriter {
    private final DataOutputStream out;

    public FrameWriter(OutputStream raw) {
        this.out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
    }

    public synchronized void write(Frame f) throws IOException {
        out.writeInt(FrameReader.MAGIC);
        out.writeByte(f.type());
        out.writeLong(f.id());
        out.writeInt(f.payload().length);
        out.write(f.payload());
        out.flush();
    }

    public void write(byte type, long id, byte[] payload) throws IOException {
        write(new Frame(type, id, payload));
    }

    public void text(byte type, String text) throws IOException {
        write(new Frame(type, 0, text.getBytes(StandardCharsets.UTF_8)));
    }
}
