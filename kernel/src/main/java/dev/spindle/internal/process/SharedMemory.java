package dev.spindle.internal.process;

import dev.spindle.internal.process.wire.KernelLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kernel's private directory for shared-memory files and lock files: readable by this user
 * only, deleted when its {@link WorkerRuntime} closes. Children map the same files by path.
 * <p>
 * The directory's name carries the kernel's pid ({@code spindle-shm-<pid>-<random>}): a kernel
 * killed with SIGKILL runs no hook, so the next kernel of the same user removes the directories
 * of kernels that are gone ({@link #removeStale}). Shared memory is reserved when it is created
 * (its bytes written), so a full file system fails there with a clear message, not later with
 * an {@code InternalError} (a SIGBUS) at the first write into a sparse mapping.
 */
public final class SharedMemory {
    private static final Logger LOG = Logger.getLogger(SharedMemory.class.getName());
    private static final String PREFIX = "spindle-shm-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private Path dir;
    private boolean deleted;

    SharedMemory() {
    }

    private synchronized Path dir() {
        if (deleted) throw new IllegalStateException("the kernel's worker runtime is closed");
        if (dir == null) {
            String prefix = PREFIX + ProcessHandle.current().pid() + "-";
            try {
                Path base = Path.of(System.getProperty("java.io.tmpdir"));
                dir = Files.createTempDirectory(base, prefix,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                try {
                    dir = Files.createTempDirectory(prefix);
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

    /**
     * Maps {@code bytes} of {@code file} read-write; in the kernel or a child alike. A file
     * shorter than that (a new one) is first filled up to {@code bytes}, so the memory exists.
     */
    public static MappedByteBuffer map(Path file, long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < bytes) reserve(ch, file, bytes);
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map shared memory " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes zeros from the file's end up to {@code bytes}: a mapping of a sparse file gets its
     * pages at the first write, and on a full file system that write dies with a SIGBUS, which
     * the JVM reports as an {@code InternalError} far from the cause.
     */
    private static void reserve(FileChannel ch, Path file, long bytes) throws IOException {
        long had = ch.size();
        long free = usableSpace(file);
        if (free >= 0 && bytes - had > free) {
            throw new UncheckedIOException(noSpace(file, bytes, free), new IOException("no space left"));
        }
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(bytes - had, 1 << 16));
        long pos = had;
        try {
            while (pos < bytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - pos));
                pos += ch.write(zeros, pos);
            }
            ch.force(false);
        } catch (IOException e) {
            try {
                ch.truncate(had);
            } catch (IOException ignored) {
                // the file is deleted with the directory anyway
            }
            throw new UncheckedIOException(noSpace(file, bytes, usableSpace(file)) + " (" + e.getMessage() + ")", e);
        }
    }

    private static String noSpace(Path file, long bytes, long free) {
        return String.format("cannot create %,d bytes of shared memory in %s: the file system has %s free."
                        + " Free some space, or start the kernel with -Djava.io.tmpdir=<a larger directory>",
                bytes, file.getParent(), free < 0 ? "too little" : String.format("only %,d bytes", free));
    }

    private static long usableSpace(Path file) {
        try {
            return Files.getFileStore(file).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Removes the directory; the runtime calls it when it closes (and a JVM hook does, as a backstop). */
    synchronized void delete() {
        deleted = true;
        if (dir == null || KernelLink.inChild()) return;
        deleteTree(dir);
    }

    /**
     * Removes the shared-memory directories that kernels of this user left behind in the temp
     * directory when they were killed: those whose pid is gone, or now belongs to a process that
     * started after the directory was last changed. Never another user's, never through a link.
     */
    public static void removeStale() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        int me;
        try {
            me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return; // no way to tell whose they are: leave them
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path d : dirs) {
                Matcher m = NAME.matcher(d.getFileName().toString());
                if (m.matches()) removeIfStale(d, Long.parseLong(m.group(1)), me);
            }
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "sweeping stale shared memory: " + e);
        }
    }

    private static void removeIfStale(Path d, long pid, int me) {
        try {
            PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || (Integer) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS) != me) return;
            if (alive(pid, a.lastModifiedTime().toInstant())) return;
            LOG.info(() -> "removing the shared memory of a dead kernel (pid " + pid + "): " + d);
            deleteTree(d);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "not removing " + d + ": " + e);
        }
    }

    private static boolean alive(long pid, Instant lastChanged) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return false;
        Optional<Instant> started = p.get().info().startInstant();
        // A pid reused by a process that started after the directory was last touched is not its owner.
        return started.isEmpty() || !started.get().isAfter(lastChanged);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
