package dev.spindle.engine;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites the bytecode of cell classes before they load in the kernel:
 * <ul>
 * <li>a call to {@link StopCheck#check()} at method entry and before every backward jump,
 *     so an interrupt stops busy loops on every JDK (JShell only does this itself on 20+, with
 *     one global flag that would also kill the threads of earlier cells);</li>
 * <li>calls that would end the JVM go to {@link ExitGuard} instead.</li>
 * </ul>
 * Uses ASM rather than the JDK's class-file API, which JDK 17 does not have.
 */
final class CellCodeWeaver {
    private static final String STOP = "dev/spindle/engine/StopCheck";
    private static final String GUARD = "dev/spindle/engine/ExitGuard";

    private CellCodeWeaver() {
    }

    static byte[] weave(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // COMPUTE_MAXS only: the inserted calls take no stack and change no frames.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return mv;
                return new Weaving(mv);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class Weaving extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        Weaving(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            seen.add(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) check(); // a label already visited means a backward jump
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System") && name.equals("exit")
                    && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                    && (name.equals("exit") || name.equals("halt")) && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD,
                        name.equals("exit") ? "runtimeExit" : "runtimeHalt", "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, desc, itf);
            }
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, STOP, "check", "()V", false);
        }
    }
}
