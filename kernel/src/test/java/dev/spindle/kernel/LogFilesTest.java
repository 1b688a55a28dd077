package dev.spindle.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class LogFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aNewDirectoryIsPrivateAndAnOpenOneIsClosed() throws IOException {
        Path made = tmp.resolve("a/spindle");
        LogFiles.privateDirectory(made);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        LogFiles.privateDirectory(open);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
    }

    @Test
    void aLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("spindle"), target);
        IOException e = assertThrows(IOException.class, () -> LogFiles.privateDirectory(link));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void onlyTheNewestLogsAreKept() throws IOException {
        for (int i = 0; i < LogFiles.KEEP + 5; i++) {
            Path p = Files.writeString(tmp.resolve(String.format("kernel-20200101T0000%02d-%d.log", i, 99_000_000 + i)), "x");
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
        }
        Path other = Files.writeString(tmp.resolve("notes.txt"), "kept");
        LogFiles.prune(tmp, null);
        try (var s = Files.list(tmp)) {
            assertEquals(LogFiles.KEEP, s.filter(p -> p.getFileName().toString().startsWith("kernel-")).count());
        }
        assertFalse(Files.exists(tmp.resolve("kernel-20200101T000000-99000000.log"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(tmp.resolve(String.format("kernel-20200101T0000%02d-%d.log", LogFiles.KEEP + 4,
                99_000_000 + LogFiles.KEEP + 4))));
        assertTrue(Files.exists(other));
    }
}
