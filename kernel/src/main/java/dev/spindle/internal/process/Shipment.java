package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.RunRequest;
import dev.spindle.internal.process.wire.Wire;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Packs a task for a child JVM like a fork of the notebook: the live cell classes, a copy of
 * every top-level variable that can be copied, and the task. A variable that cannot be copied
 * only matters if the task reads it; then the start fails now, naming it, instead of a
 * {@code NullPointerException} in the child later.
 */
final class Shipment {
    private Shipment() {
    }

    static RunRequest pack(long taskId, String workerName, Serializable task, NotebookState state, boolean keepAlive) {
        byte[] taskBytes;
        try {
            taskBytes = Wire.encode(task);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the task for '" + workerName + "' cannot be sent to a child JVM: it"
                    + " captures a " + e.getMessage() + ", which is not Serializable. A process gets copies of"
                    + " values; pass serializable values (or an IPC object such as SharedQueue) instead.", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the task for '" + workerName + "' cannot be serialized: " + e, e);
        }
        Map<String, byte[]> classes = state.liveClasses();
        List<RunRequest.VariableCopy> copies = new ArrayList<>();
        Map<String, String> notCopied = new LinkedHashMap<>();
        for (NotebookState.Variable v : state.variables()) {
            try {
                copies.add(new RunRequest.VariableCopy(v.className(), v.name(), Wire.encode(v.value())));
            } catch (IOException | RuntimeException e) {
                notCopied.put(v.className() + "." + v.name(), v.name() + " (" + v.typeName() + ")");
            }
        }
        if (!notCopied.isEmpty()) {
            Set<String> used = fieldsReadBy(task, classes);
            List<String> blocking = new ArrayList<>();
            notCopied.forEach((key, label) -> {
                if (used.contains(key)) blocking.add(label);
            });
            if (!blocking.isEmpty()) {
                throw new IllegalArgumentException("the task for '" + workerName + "' uses "
                        + String.join(", ", blocking) + ", which cannot be copied into a child JVM (not"
                        + " Serializable). Processes do not share memory: create the value inside the task, or"
                        + " share it through an IPC object (SharedQueue, SharedValue, Pipe).");
            }
        }
        return new RunRequest(taskId, workerName, classes, copies, taskBytes, keepAlive);
    }

    /**
     * Static fields of cell classes ({@code class.field}) the task can read: the lambda's body and
     * every cell method it calls, transitively.
     */
    static Set<String> fieldsReadBy(Object task, Map<String, byte[]> classes) {
        Set<String> fields = new HashSet<>();
        Deque<String> methods = new ArrayDeque<>();
        SerializedLambda lambda = serializedLambda(task);
        if (lambda != null) {
            methods.add(lambda.getImplClass().replace('/', '.') + "#" + lambda.getImplMethodName());
        } else {
            methods.add(task.getClass().getName() + "#*");
        }
        Set<String> seen = new HashSet<>();
        while (!methods.isEmpty()) {
            String m = methods.poll();
            if (!seen.add(m)) continue;
            String owner = m.substring(0, m.indexOf('#')), name = m.substring(m.indexOf('#') + 1);
            byte[] bytes = classes.get(owner);
            if (bytes == null) continue;
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String mName, String desc, String sig, String[] ex) {
                    if (!name.equals("*") && !name.equals(mName)) return null;
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitFieldInsn(int op, String fOwner, String fName, String fDesc) {
                            if (op == Opcodes.GETSTATIC && fOwner.startsWith("REPL/")) {
                                fields.add(fOwner.replace('/', '.') + "." + fName);
                            }
                        }

                        @Override
                        public void visitMethodInsn(int op, String mOwner, String callee, String d, boolean itf) {
                            if (mOwner.startsWith("REPL/")) methods.add(mOwner.replace('/', '.') + "#" + callee);
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        return fields;
    }

    private static SerializedLambda serializedLambda(Object task) {
        try {
            Method m = task.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            Object r = m.invoke(task);
            return r instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
