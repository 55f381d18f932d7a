package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.CliProcess;
import io.tcplens.testutil.InProcessCli;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed command's output safety: output paths that are not regular files (made by the test in
 * a temporary folder), a full stdout (/dev/full: writing to it is harmless), a closed pipe, @file
 * arguments. A closed pipe, a first run's preferences and two of the full-stdout commands go through
 * the entry point in its own process (the launcher's path); the rest run the same command line in this
 * JVM on a real file or device ({@link InProcessCli}), a JVM start less each.
 */
class OutputSafetyCliTest {
    @TempDir Path dir;

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void sh(String... cmd) throws Exception {
        assertEquals(0, new ProcessBuilder(cmd).inheritIO().start().waitFor(), String.join(" ", cmd));
    }

    static Object inode(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Test
    void recordForceAndExportOverwriteReplaceOnlyRegularFiles() throws Exception {
        Path fifo = dir.resolve("fifo");
        sh("mkfifo", fifo.toString());
        Path empty = Files.createDirectory(dir.resolve("emptydir"));
        Path precious = Files.writeString(dir.resolve("precious"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), precious);
        List<Path> targets = new ArrayList<>(List.of(fifo, empty, link));
        if (root()) {
            Path dev = dir.resolve("devnull");
            sh("mknod", dev.toString(), "c", "1", "3");
            targets.add(dev);
        }
        for (Path t : targets) {
            Object before = inode(t);
            CliProcess.Result rec = InProcessCli.run("record", "--force", "-o", t.toString(), "--count", "1", "--source", "proc", "--quiet");
            assertEquals(1, rec.code(), rec.err());
            assertTrue(rec.err().startsWith("tcplens record: will not write " + t + ": it is a"), rec.err());
            assertEquals(1, rec.err().strip().lines().count(), rec.err());
            assertEquals(before, inode(t), "record left " + t + " alone");

            CliProcess.Result ex = InProcessCli.run("export-rules", "--format", "nft", "--ip", "203.0.113.7",
                    "--overwrite", "-o", t.toString());
            assertEquals(1, ex.code(), ex.err());
            assertTrue(ex.err().contains("tcplens: will not write " + t + ": it is a"), ex.err());
            assertEquals(before, inode(t), "export-rules left " + t + " alone");
        }
        assertEquals("keep", Files.readString(precious));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }

        // a regular file is replaced, keeping its mode; new files get the same mode from record and export-rules
        Path rules = Files.writeString(dir.resolve("rules.nft"), "old");
        Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(0, InProcessCli.run("export-rules", "--format", "nft", "--ip", "203.0.113.7", "--overwrite",
                "-o", rules.toString()).code());
        assertTrue(Files.readString(rules).contains("203.0.113.7"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(rules)));
        Path newRules = dir.resolve("new.nft"), newRec = dir.resolve("new.tcplens");
        assertEquals(0, InProcessCli.run("export-rules", "--format", "nft", "--ip", "203.0.113.7", "-o", newRules.toString()).code());
        assertEquals(0, InProcessCli.run("record", "-o", newRec.toString(), "--count", "1", "--source", "proc", "--quiet").code());
        assertEquals(Files.getPosixFilePermissions(newRec), Files.getPosixFilePermissions(newRules));

        CliProcess.Result noDir = InProcessCli.run("export-rules", "--format", "nft", "--ip", "203.0.113.7",
                "-o", dir.resolve("missing/x.nft").toString());
        assertEquals(1, noDir.code());
        assertTrue(noDir.err().contains("no such folder: " + dir.resolve("missing")), noDir.err());
    }

    @Test
    void aFullStdoutFailsEveryCommandWithTheReason() throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists() && full.canWrite());
        List<List<String>> commands = List.of(
                List.of("--help"), List.of("--version"), List.of("counts", "--source", "proc"),
                List.of("counts", "--json", "--source", "proc"), List.of("snapshot", "--source", "proc"),
                List.of("snapshot", "--format", "csv", "--source", "proc"), List.of("remotes", "--source", "proc"),
                List.of("sources"), List.of("watch", "--count", "3", "--interval", "100ms", "--source", "proc"),
                List.of("export-rules", "--format", "ufw", "--ip", "203.0.113.7"),
                List.of("lab", "--list"), List.of("record", "-o", dir.resolve("r.tcplens").toString(), "--count", "2",
                        "--interval", "100ms", "--source", "proc"));
        // a listener of the test's own, so the table has a row to print even in an empty namespace
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (List<String> c : commands) {
                // the launcher's path (Main on the process's own descriptors) for two, the same command line in this JVM for the rest
                boolean process = c.equals(List.of("--help")) || c.equals(List.of("counts", "--source", "proc"));
                CliProcess.Result r = process ? CliProcess.run(full, 60, List.of(), c.toArray(String[]::new))
                        : InProcessCli.run(full, c.toArray(String[]::new));
                assertNotEquals(0, r.code(), c + " must not succeed into a full disk: " + r.err());
                assertTrue(r.err().contains("cannot write to standard output: No space left on device"), c + ": " + r.err());
            }
        }
    }

    @Test
    void watchEndsWhenItsStdoutIsClosed() throws Exception {
        Process p = new ProcessBuilder(CliProcess.command(List.of(), "watch", "--interval", "100ms", "--source", "proc"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertNotNull(r.readLine(), "one line, like head -1");
            r.close(); // the reader goes away, as head does
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "watch must end when nobody reads its output");
            assertNotEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void atFilesAreNotExpanded() throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:SECRET-HASH:19000:0:99999:7:::\n");
        CliProcess.Result r = InProcessCli.run("counts", "@" + secret);
        assertEquals(2, r.code());
        assertFalse(r.err().contains("SECRET"), r.err());
        assertFalse(r.out().contains("SECRET"), r.out());
    }

    @Test
    void aFirstRunPrintsNothingAboutPreferences() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        CliProcess.Result r = CliProcess.run(null, 60, List.of("-Djava.util.prefs.userRoot=" + home.resolve("prefs"),
                "-Duser.home=" + home), "export-rules", "--format", "nft", "--ip", "203.0.113.7");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("preferences"), r.err());
    }

    @Test
    void aFullDiskUnderOutputLeavesTheOldFileAndSaysWhy() throws Exception {
        assumeTrue(root(), "mounting a small tmpfs needs root");
        Path mnt = Files.createDirectory(dir.resolve("small"));
        sh("mount", "-t", "tmpfs", "-o", "size=256k", "tcplens-test", mnt.toString());
        try {
            Path old = Files.writeString(mnt.resolve("rules.sh"), "old rules\n");
            // fill the file system to the last byte
            try (var out = Files.newOutputStream(mnt.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) out.write(block);
            } catch (IOException full) {
                // now full
            }
            CliProcess.Result ex = InProcessCli.run("export-rules", "--format", "ufw", "--ip", "203.0.113.7",
                    "--overwrite", "-o", old.toString());
            assertEquals(1, ex.code(), ex.err());
            assertTrue(ex.err().contains("cannot write " + old + ": No space left on device"), ex.err());
            assertEquals("old rules\n", Files.readString(old));
            CliProcess.Result rec = InProcessCli.run("record", "-o", mnt.resolve("r.tcplens").toString(), "--count", "3",
                    "--interval", "100ms", "--source", "proc", "--quiet");
            assertEquals(1, rec.code(), rec.err());
            assertTrue(rec.err().contains("No space left on device"), rec.err());
            try (var l = Files.list(mnt)) {
                assertTrue(l.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
            }
        } finally {
            sh("umount", mnt.toString());
        }
    }
}
