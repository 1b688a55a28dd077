package dev.spindle.child;

import dev.spindle.internal.process.wire.IpcReply;
import dev.spindle.internal.process.wire.IpcRequest;
import dev.spindle.internal.process.wire.RunRequest;
import dev.spindle.internal.process.wire.TaskOutcome;
import dev.spindle.internal.process.wire.Wire;

import java.util.List;
import java.util.Map;

/** Pays a spare child's first-use costs before its task comes, and lists them for the class-data archive. */
final class Warmup {
    private Warmup() {
    }

    /** A serializable lambda through the same path a task takes: encode, decode, run, report. */
    static void exercise() {
        try {
            dev.spindle.concurrent.Task<Integer> task = () -> 6 * 7;
            RunRequest req = new RunRequest(0, "warmup", Map.of("x", new byte[0]), List.of(
                    new RunRequest.VariableCopy("x", "y", Wire.encode(1))), Wire.encode(task), false);
            RunRequest back = RunRequest.decode(req.encode());
            Wire.decode(back.variables().get(0).value(), Warmup.class.getClassLoader());
            Object t = Wire.decode(back.task(), Warmup.class.getClassLoader());
            Object result = ((java.util.concurrent.Callable<?>) t).call();
            byte[] out = new TaskOutcome(0, Wire.encode(result), null, null, 0, ChildMain.cpu()).encode();
            Wire.decode(TaskOutcome.decode(out).result(), Warmup.class.getClassLoader());
            // The IPC path: a queue item and its request and reply.
            IpcRequest ipc = IpcRequest.decode(new IpcRequest(1, "put", Wire.encode("item"), 0).encode());
            IpcReply reply = IpcReply.decode(new IpcReply(ipc.value(), 0, false, null).encode());
            Wire.decode(reply.value(), Warmup.class.getClassLoader());
            // Values that are not written directly: the first serialization streams in a JVM are slow.
            Wire.decode(Wire.encode(new java.util.ArrayList<>(List.of(1, "x"))), Warmup.class.getClassLoader());
            // Starts the output flusher thread, which reporting a result would do otherwise.
            FramedOutput.Flusher.flushAll();
        } catch (Exception e) {
            // warming is best effort
        }
    }
}
