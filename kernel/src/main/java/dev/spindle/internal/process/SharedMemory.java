package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.KernelLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The kernel's private directory for shared-memory files and lock files: readable by this user
 * only, deleted when its {@link WorkerRuntime} closes. Children map the same files by path.
 */
public final class SharedMemory {
    private Path dir;
    private boolean deleted;

    SharedMemory() {
    }

    private synchronized Path dir() {
        if (deleted) throw new IllegalStateException("the kernel's worker runtime is closed");
        if (dir == null) {
            try {
                Path base = Path.of(System.getProperty("java.io.tmpdir"));
                dir = Files.createTempDirectory(base, "spindle-shm-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                try {
                    dir = Files.createTempDirectory("spindle-shm-");
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::delete, "spindle-shm-cleanup"));
        }
        return dir;
    }

    /** A new empty file in the directory, e.g. for a shared array or a lock. */
    public Path newFile(String kind) {
        try {
            return Files.createTempFile(dir(), kind + "-", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maps {@code bytes} of {@code file} read-write; in the kernel or a child alike. */
    public static MappedByteBuffer map(Path file, long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map shared memory " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the directory; the runtime calls it when it closes (and a JVM hook does, as a backstop). */
    synchronized void delete() {
        deleted = true;
        if (dir == null || KernelLink.inChild()) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
