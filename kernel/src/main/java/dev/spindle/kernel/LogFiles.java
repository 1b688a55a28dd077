package dev.spindle.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kernel log goes, opened so that no other local user can read it or redirect it.
 * <p>
 * The default directory is {@code $XDG_STATE_HOME/spindle} (else {@code ~/.local/state/spindle}),
 * which the kernel creates with mode 0700 or verifies: a real directory (not a symbolic link),
 * owned by this user, group and others shut out. A directory that fails the check is not used:
 * the log goes to a fresh private temporary directory and the kernel says so on stderr. Each
 * start writes a new file {@code kernel-<time>-<pid>.log}, mode 0600, created with
 * {@code CREATE_NEW} and never through a symbolic link; only the newest {@link #KEEP} are kept
 * (a live kernel's log is never removed). An explicit {@code --log FILE} is the user's choice
 * and is appended to, but a symbolic link there is not followed either.
 */
final class LogFiles {
    static final int KEEP = 20;
    private static final Pattern NAME = Pattern.compile("kernel-[0-9T]+-(\\d+)(?:-\\d+)?\\.log");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** An open log: where it is, the stream, and a warning for stderr (or null). */
    record Opened(Path path, OutputStream out, String warning) {
    }

    private LogFiles() {
    }

    static Opened open(Path explicit) throws IOException {
        String warning = null;
        if (explicit != null) {
            try {
                return new Opened(explicit, append(explicit), null);
            } catch (IOException e) {
                warning = "cannot write the log file " + explicit + " (" + reason(e, explicit) + ")";
            }
        }
        Path dir = defaultDirectory();
        try {
            privateDirectory(dir);
        } catch (IOException e) {
            String why = "the log directory " + dir + " is not safe to use: " + e.getMessage();
            warning = warning == null ? why : warning + "; " + why;
            dir = Files.createTempDirectory("spindle-log-", dirMode());
        }
        Path file = createNew(dir);
        prune(dir, file);
        if (warning != null) warning = "spindle: " + warning + "; logging to " + file;
        return new Opened(file, Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS))), warning);
    }

    static Path defaultDirectory() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("spindle");
    }

    /** Creates {@code dir} with mode 0700, or checks that it is a directory of ours that only we can use. */
    static void privateDirectory(Path dir) throws IOException {
        if (dir.getParent() != null) Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, dirMode());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // checked below
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        if (a.isSymbolicLink()) throw new IOException("it is a symbolic link");
        if (!a.isDirectory()) throw new IOException("it is not a directory");
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = myUid(dir.getParent());
        if (owner != me) throw new IOException("it belongs to uid " + owner + ", not to this user (uid " + me + ")");
        if (!a.permissions().equals(DIR_MODE)) Files.setPosixFilePermissions(dir, DIR_MODE);
    }

    /** This process's user id: the owner of /proc/self, else of a file we create. */
    private static int myUid(Path scratch) throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) return (Integer) Files.getAttribute(self, "unix:uid");
        Path probe = Files.createTempFile(scratch, ".spindle-uid-", ".tmp");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static Path createNew(Path dir) throws IOException {
        String base = "kernel-" + LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid();
        for (int i = 0; ; i++) {
            Path file = dir.resolve(base + (i == 0 ? "" : "-" + i) + ".log");
            try {
                // CREATE_NEW is O_CREAT|O_EXCL: it fails on any existing name, a symbolic link included.
                Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), fileMode()).close();
                return file;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i >= 100) throw e;
            }
        }
    }

    private static OutputStream append(Path file) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Set<OpenOption> opts = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
        return Channels.newOutputStream(Files.newByteChannel(file, opts, fileMode()));
    }

    /** Keeps the newest {@link #KEEP} logs of {@code dir}; never removes the log of a running kernel. */
    static void prune(Path dir, Path keep) {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "kernel-*.log")) {
            for (Path p : s) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) logs.add(p);
            }
        } catch (IOException e) {
            return;
        }
        if (logs.size() <= KEEP) return;
        logs.sort(Comparator.comparingLong(LogFiles::modified).reversed());
        for (Path p : logs.subList(KEEP, logs.size())) {
            if (p.equals(keep) || running(p)) continue;
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    private static boolean running(Path log) {
        Matcher m = NAME.matcher(log.getFileName().toString());
        if (!m.matches()) return false;
        long pid = Long.parseLong(m.group(1));
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String reason(IOException e, Path file) {
        if (Files.isSymbolicLink(file)) return "it is a symbolic link, which the kernel does not follow";
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static FileAttribute<?>[] dirMode() {
        return posix() ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(DIR_MODE)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileMode() {
        return posix() ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
