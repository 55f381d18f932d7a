package io.tcplens.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output paths that are not regular files, made by the test in its own temporary folder. */
class SafeFilesTest {
    @TempDir Path dir;

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
    }

    private void assertRefusedAndUntouched(Path target, String what) throws Exception {
        BasicFileAttributes before = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        SafeFiles.NotRegularFileException e = assertThrows(SafeFiles.NotRegularFileException.class,
                () -> SafeFiles.write(target, true, out -> out.write("new".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        BasicFileAttributes after = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(before.fileKey(), after.fileKey(), "the same inode is still there");
        assertEquals(before.isOther(), after.isOther());
        assertEquals(before.isDirectory(), after.isDirectory());
        assertEquals(before.isSymbolicLink(), after.isSymbolicLink());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void fifoIsNeverReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        sh("mkfifo", fifo.toString());
        assertRefusedAndUntouched(fifo, "a FIFO");
    }

    @Test
    void deviceNodeIsNeverReplaced() throws Exception {
        assumeTrue(root(), "mknod needs root");
        Path dev = dir.resolve("full"); // the same device numbers as /dev/full, in the test's folder
        sh("mknod", dev.toString(), "c", "1", "7");
        assertRefusedAndUntouched(dev, "a character device");
    }

    @Test
    void directoriesSocketsAndSymlinksAreNeverReplaced() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertRefusedAndUntouched(empty, "a directory");

        Path sock = dir.resolve("sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertRefusedAndUntouched(sock, "a socket");
        }

        Path precious = Files.writeString(dir.resolve("precious"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), precious);
        assertRefusedAndUntouched(link, "a symbolic link");
        assertEquals("keep", Files.readString(precious), "the link's target was not written");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nothing"));
        assertRefusedAndUntouched(dangling, "a symbolic link");
        assertFalse(Files.exists(dir.resolve("nothing")));
    }

    @Test
    void regularFileIsReplacedKeepingModeAndOwner() throws Exception {
        Path f = Files.writeString(dir.resolve("rules.nft"), "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r-----"));
        UserPrincipal nobody = null;
        if (root()) {
            nobody = f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(f, nobody);
        }
        assertThrows(FileAlreadyExistsException.class, () -> SafeFiles.write(f, false, out -> out.write('x')));
        assertEquals("old", Files.readString(f));
        SafeFiles.write(f, true, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(f));
        assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        if (nobody != null) assertEquals(nobody, Files.getOwner(f));
    }

    @Test
    void newFileGetsTheUmaskModeAndErrorsSayWhy() throws Exception {
        Path f = dir.resolve("new.nft");
        SafeFiles.write(f, false, out -> out.write('x'));
        Path plain = Files.writeString(dir.resolve("plain"), "x"); // what any program gets here
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));

        IOException missing = assertThrows(IOException.class, () -> SafeFiles.write(dir.resolve("no/x"), false, out -> {}));
        assertEquals("no such folder: " + dir.resolve("no"), SafeFiles.reason(missing));
        if (!root()) {
            Path locked = Files.createDirectory(dir.resolve("locked"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
            IOException denied = assertThrows(IOException.class, () -> SafeFiles.write(locked.resolve("x"), false, out -> {}));
            assertTrue(SafeFiles.reason(denied).startsWith("permission denied"), SafeFiles.reason(denied));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path f = Files.writeString(dir.resolve("keep.sh"), "old");
        assertThrows(IOException.class, () -> SafeFiles.write(f, true, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
