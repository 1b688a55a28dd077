package dev.spindle.child;

import dev.spindle.concurrent.transport.Frame;
import dev.spindle.concurrent.transport.FrameReader;
import dev.spindle.concurrent.transport.FrameWriter;
import dev.spindle.concurrent.transport.RunRequest;
import dev.spindle.concurrent.transport.Serial;
import dev.spindle.concurrent.transport.TaskOutcome;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/** Loads what a child loads, so {@code -XX:ArchiveClassesAtExit} can archive it for fast starts. */
final class Warmup {
    private Warmup() {
    }

    /** A serializable lambda through the same path a task takes: serialize, deserialize, run. */
    static void exercise() {
        try {
            dev.spindle.concurrent.Task<Integer> task = () -> 6 * 7;
            RunRequest req = new RunRequest(0, "warmup", Map.of(), List.of(
                    new RunRequest.VariableCopy("x", "y", Serial.toBytes(1))), Serial.toBytes(task), false);
            RunRequest back = (RunRequest) Serial.fromBytes(Serial.toBytes(req), Warmup.class.getClassLoader());
            Object t = Serial.fromBytes(back.task(), Warmup.class.getClassLoader());
            Object result = ((java.util.concurrent.Callable<?>) t).call();
            byte[] out = Serial.toBytes(new TaskOutcome(0, Serial.toBytes(result), null, null, 0, ChildMain.cpu()));
            Serial.fromBytes(out, Warmup.class.getClassLoader());
        } catch (Exception e) {
            // warming is best effort
        }
    }

    static void run() throws Exception {
        exercise();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(bytes);
        RunRequest req = new RunRequest(1, "warmup", Map.of(), List.of(), Serial.toBytes("x"), false);
        w.write(Frame.RUN, 1, Serial.toBytes(req));
        w.write(Frame.RESULT, 1, Serial.toBytes(new TaskOutcome(1, new byte[0], null, null, 1, 0)));
        FrameReader r = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
        Serial.fromBytes(r.next().payload(), Warmup.class.getClassLoader());
        Serial.fromBytes(r.next().payload(), Warmup.class.getClassLoader());
        FramedOutput.printStream(new FrameWriter(new ByteArrayOutputStream()), Frame.STDOUT).println("warm");
        new ChildClassLoader(Warmup.class.getClassLoader(), n -> null);
    }
}
