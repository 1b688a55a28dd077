package dev.spindle.internal.process;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a child JVM needs from the notebook to start "like a fork": the bytecode of the cells'
 * classes and the current top-level variables. The kernel's engine implements it; the helpers
 * here never see JShell.
 */
public interface NotebookState {

    /** A top-level variable: the static field {@code field} of cell class {@code className}. */
    record Variable(String name, String typeName, String className, Object value) {
    }

    /** Bytecode of the classes of the cells that are live now, by binary name. */
    Map<String, byte[]> liveClasses();

    /** Bytecode of any cell class ever loaded, for a child that asks for one by name. */
    Optional<byte[]> classBytes(String binaryName);

    /** The notebook's top-level variables, with their current values. */
    List<Variable> variables();

    /** The loader of the cell classes, to read back objects of types declared in cells. */
    ClassLoader cellClassLoader();

    /** No notebook (unit tests, plain Java): nothing to ship. */
    NotebookState NONE = new NotebookState() {
        @Override
        public Map<String, byte[]> liveClasses() {
            return Map.of();
        }

        @Override
        public Optional<byte[]> classBytes(String binaryName) {
            return Optional.empty();
        }

        @Override
        public List<Variable> variables() {
            return List.of();
        }

        @Override
        public ClassLoader cellClassLoader() {
            return NotebookState.class.getClassLoader();
        }
    };
}
