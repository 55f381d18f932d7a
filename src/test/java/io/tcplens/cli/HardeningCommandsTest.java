package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.export.SocketCsv;
import io.tcplens.source.replay.RecordingReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15's command-line items, through the real entry point on real sockets and files. */
class HardeningCommandsTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = TcpLensCommand.run(out, err, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aProcessNamedWithEscapeSequencesIsShownEscaped() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/proc/self/comm")));
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // perl renames itself (comm, settable by any user) to ESC ] 0 ; p w n BEL \n o k in one write,
            // then connects and waits
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "perl (part of Debian's base system)");
            Process child = new ProcessBuilder("perl", "-MIO::Socket::INET", "-e",
                    "open(my $f, '>', '/proc/self/comm') or die; syswrite($f, \"\\e]0;pwn\\a\\nok\"); close $f;"
                    + " my $s = IO::Socket::INET->new('127.0.0.1:" + server.getLocalPort() + "') or die; sleep 60;")
                    .redirectErrorStream(true).start();
            try (Socket s = server.accept()) {
                int childPort = s.getPort(); // the 4-tuple's other end is the child's
                String expected = "\\e]0;pwn\\x07\\nok/" + child.pid();
                Run table = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    table = run("snapshot", "--source", "proc", "--port", Integer.toString(childPort), "--address", "127.0.0.1");
                    if (table.out().contains(expected)) break;
                    Thread.sleep(100);
                }
                assertEquals(0, table.code(), table.err());
                assertTrue(table.out().contains(expected), table.out());
                assertFalse(table.out().contains("\u001b"), "no raw ESC reaches the terminal");
                assertFalse(table.out().contains("\u0007"));
                // every row starts with a state: the name's newline did not start a line of its own
                assertTrue(table.out().lines().skip(1).allMatch(l -> l.matches("[A-Z_0-9]+ .*")), table.out());

                Run json = run("snapshot", "--format", "json", "--source", "proc", "--port", Integer.toString(childPort));
                assertTrue(json.out().contains("\\u001B]0;pwn\\u0007\\nok") || json.out().contains("\\u001b]0;pwn\\u0007\\nok"),
                        "JSON stays JSON-escaped: " + json.out());
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void csvCellsCannotBeFormulas() {
        assertEquals("'=HYPERLINK(\"x\")", SocketCsv.cell("=HYPERLINK(\"x\")"));
        assertEquals("'+1", SocketCsv.cell("+1"));
        assertEquals("'-1", SocketCsv.cell("-1"));
        assertEquals("'@SUM(A1)", SocketCsv.cell("@SUM(A1)"));
        assertEquals("'\tx", SocketCsv.cell("\tx"));
        assertEquals("nginx", SocketCsv.cell("nginx"));
    }

    @Test
    void durationsHaveUnitsAndBounds() {
        for (String bad : new String[] {"5d", "0x1p4s", "1e308s", "1e3", "NaN", "Infinity", "-1s", "99999999999s", "1.5.5s", ""}) {
            Run r = run("watch", "--interval", bad, "--count", "1", "--source", "proc");
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().startsWith("tcplens: not a duration: '" + bad + "'"), r.err());
        }
        assertTrue(run("watch", "--interval", "2h", "--count", "1").err().contains("interval too long"));
        assertEquals(3_600_000, Durations.parse("1h").toMillis());
        assertEquals(2500, Durations.parse("2.5s").toMillis());
        assertEquals(250, Durations.parse("250ms").toMillis());
        assertEquals(31L * 86_400_000, Durations.parseSpan("744h").toMillis());
        assertThrows(CliException.class, () -> Durations.parseSpan("745h"));
        assertEquals(2, run("record", "--duration", "5d", "-o", dir.resolve("x.tcplens").toString()).code());
    }

    @Test
    void addressFilterIsStrictAndMatchesMappedAddresses() throws Exception {
        for (String bad : new String[] {"*", "127.1", "010.1.1.1", "10.0.0.0/255.0.0.0", "10.0.0.1-5", "localhost"}) {
            Run r = run("snapshot", "--source", "proc", "--address", bad);
            assertEquals(2, r.code(), bad);
            assertTrue(r.err().startsWith("tcplens: not an IP address or CIDR: '" + bad + "'"), r.err());
            assertFalse(r.err().contains("NullPointer"));
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket s = server.accept()) {
            String port = Integer.toString(c.getLocalPort());
            Run mapped = run("snapshot", "--format", "csv", "--source", "proc", "--port", port, "--address", "::ffff:127.0.0.1");
            assertEquals(0, mapped.code(), mapped.err());
            String here = "127.0.0.1," + c.getLocalPort() + ",127.0.0.1," + server.getLocalPort();
            String there = "127.0.0.1," + server.getLocalPort() + ",127.0.0.1," + c.getLocalPort();
            assertTrue(mapped.out().contains(here) && mapped.out().contains(there), "both ends of the test's connection: " + mapped.out());
        }
    }

    @Test
    void labExitCodesAndSourceMessages() {
        Run none = run("lab");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("tcplens lab: choose a scenario"), none.err());
        assertTrue(none.err().contains("client-close"), none.err());
        assertEquals("", none.out());
        Run list = run("lab", "--list");
        assertEquals(0, list.code());
        assertTrue(list.out().contains("client-close"));

        Run auto = run("counts", "--source", "auto:x");
        assertEquals(2, auto.code());
        assertEquals("tcplens: 'auto' takes no argument: 'auto:x' (use --source auto)", auto.err().strip());
    }

    @Test
    void aRecordingDeletedWhileRecordingStopsTheRecorderWithAnError() throws Exception {
        Path f = dir.resolve("gone.tcplens");
        CompletableFuture<Run> rec = CompletableFuture.supplyAsync(() ->
                run("record", "-o", f.toString(), "--interval", "100ms", "--duration", "60s", "--source", "proc", "--quiet"));
        // deleted once the recorder has written a record (it is then in its loop)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (RecordingReader.read(f).size() >= 1) break;
            } catch (IOException notYet) {
                // not there or no header yet
            }
            Thread.sleep(20);
        }
        Files.delete(f);
        Run r = rec.get(20, TimeUnit.SECONDS);
        assertEquals(1, r.code(), r.err());
        assertEquals("tcplens record: cannot write " + f + ": it was deleted while recording", r.err().strip());
    }
}
