package dev.spindle.concurrent;

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
 * only, deleted when the kernel stops. Children map the same files by path.
 */
final class SharedMemory {
    private static Path dir;

    private SharedMemory() {
    }

    static synchronized Path dir() {
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
            Runtime.getRuntime().addShutdownHook(new Thread(SharedMemory::delete, "spindle-shm-cleanup"));
        }
        return dir;
    }

    static Path newFile(String kind) {
        try {
            return Files.createTempFile(dir(), kind + "-", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MappedByteBuffer map(Path file, long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map shared memory " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the directory; the kernel calls it at shutdown (and a JVM hook does, as a backstop). */
    static synchronized void delete() {
        if (dir == null || IpcHub.inChild()) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
