package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.ExclusiveServerSocket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportRulesCommandTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    /** Runs through the real root command, with the same one-line error handling as {@link TcpLensCommand#run}. */
    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new TcpLensCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("tcplens: " + Messages.oneLine(ex));
            return ex instanceof CliException ce ? ce.exitCode() : 1;
        });
        String[] all = new String[args.length + 1];
        all[0] = "export-rules";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void explicitAddressesBecomeMergedNftRules() {
        Run r = run("--format", "nft", "--ip", "198.51.100.0/25", "--ip", "198.51.100.128/25", "--ip", "2001:db8::1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\t\t\t198.51.100.0/24\n"), r.out());
        assertTrue(r.out().contains("\t\t\t2001:db8::1\n"), r.out());
        assertTrue(r.out().contains("#   nft delete table inet tcplens_block"), r.out());
        assertTrue(r.out().contains("# Selection: 3 address(es) given with --ip"), r.out());
    }

    @Test
    void everyFormatIsAccepted() {
        for (String f : List.of("nft", "iptables", "ipset", "ufw", "firewalld", "powershell", "netsh", "pf")) {
            Run r = run("--format", f, "--ip", "203.0.113.7");
            assertEquals(0, r.code(), f + ": " + r.err());
            assertTrue(r.out().contains("203.0.113.7"), f);
        }
    }

    @Test
    void badInputsGiveOneLineNamingTheProblem() {
        Run r = run("--format", "nft", "--ip", "example.com");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("tcplens: not an IP address or CIDR: 'example.com'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = run("--format", "nft", "--ip", "10.1.2.3/8");
        assertEquals("tcplens: '10.1.2.3/8' has host bits set; the network is 10.0.0.0/8", r.err().strip());

        r = run("--format", "iptable", "--ip", "203.0.113.7");
        assertEquals("tcplens: unknown format 'iptable' (choose nft, iptables, ipset, ufw, firewalld, powershell, netsh, pf)",
                r.err().strip());

        r = run("--format", "nft", "--allow", "10.0.0.0/33", "--ip", "203.0.113.7");
        assertTrue(r.err().startsWith("tcplens: not an IP address or CIDR: '10.0.0.0/33'"), r.err());

        r = run("--format", "nft", "--state", "BUSY", "--port", "80");
        assertTrue(r.err().startsWith("tcplens: unknown state 'BUSY'"), r.err());

        r = run("--format", "nft", "--port", "70000");
        assertEquals("tcplens: port out of range: 70000", r.err().strip());

        r = run("--format", "nft", "--min", "0");
        assertEquals("tcplens: --min must be at least 1: 0", r.err().strip());

        r = run("--format", "ufw", "--ip", "203.0.113.7", "--timeout", "1h");
        assertEquals("tcplens: --timeout works with --format nft or ipset only (ufw rules cannot expire)", r.err().strip());
        r = run("--format", "nft", "--ip", "203.0.113.7", "--timeout", "soon");
        assertEquals("tcplens: not a timeout: 'soon' (use e.g. 90s, 30m, 1h, 7d)", r.err().strip());
        r = run("--format", "nft", "--ip", "203.0.113.7", "--timeout", "30m");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\t\tflags interval, timeout\n\t\ttimeout 1800s\n"), r.out());

        r = run("--format", "nft");
        assertEquals("tcplens: nothing chosen: give --ip ADDRESS, or pick remotes with --port, --state and --min", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void safetyExclusionsAreListedAndForceOverrides() {
        Run r = run("--format", "nft", "--ip", "127.0.0.1", "--ip", "203.0.113.7", "--ip", "198.51.100.0/24", "--allow", "198.51.100.0/24");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("tcplens: not blocked: 127.0.0.1 is loopback (127.0.0.0/8)"), r.err());
        assertTrue(r.err().contains("tcplens: not blocked: 198.51.100.0/24 is on the allowlist"), r.err());
        assertTrue(r.out().contains("# - 127.0.0.1 is loopback (127.0.0.0/8)"), r.out());
        assertFalse(r.out().contains("\t127.0.0.1"), r.out());

        r = run("--format", "nft", "--ip", "127.0.0.1", "--ip", "::1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("tcplens: not blocked: ::1 is loopback (::1)"), r.err());
        assertTrue(r.err().contains("tcplens: nothing to block: all 2 chosen address(es) are excluded for safety (reasons above)"), r.err());
        assertTrue(r.err().strip().endsWith("use --force to override"), r.err());
        assertEquals("", r.out());

        r = run("--format", "nft", "--ip", "127.0.0.1", "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\t\t\t127.0.0.1\n"), r.out());
        assertTrue(r.out().contains("# WARNING: forced in despite the safety rules:"), r.out());
        assertTrue(r.err().contains("warning: forced: 127.0.0.1 is loopback"), r.err());
    }

    @Test
    void savesAtomicallyAndNeverClobbersWithoutOverwrite() throws Exception {
        Path f = dir.resolve("block.nft");
        Run r = run("--format", "nft", "--ip", "203.0.113.7", "-o", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.readString(f).contains("203.0.113.7"));
        assertTrue(r.err().contains("wrote 1 nftables entry to " + f), r.err());

        Files.writeString(f, "mine");
        r = run("--format", "nft", "--ip", "203.0.113.8", "-o", f.toString());
        assertEquals(1, r.code());
        assertEquals("tcplens: " + f + " already exists; use --overwrite to replace it", r.err().strip());
        assertEquals("mine", Files.readString(f));

        r = run("--format", "nft", "--ip", "203.0.113.8", "-o", f.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(f).contains("203.0.113.8"));
    }

    @Test
    void selectsRemotesFromTheLiveTable() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        List<AutoCloseable> open = new ArrayList<>();
        // a port no other socket on the host can take while the server is open: --port sees only this test's sockets
        try (ExclusiveServerSocket server = new ExclusiveServerSocket(InetAddress.getByName("127.0.0.1"), 50)) {
            int port = server.getLocalPort();
            for (int k = 2; k <= 4; k++) server.connectFrom(InetAddress.getByName("127.0.0." + k), k - 1, open);
            String p = Integer.toString(port);
            // loopback remotes are chosen (2 and 3 connections) but never blocked without --force
            Run r = run("--format", "nft", "--source", "proc", "--port", p, "--state", "ESTABLISHED", "--min", "2");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("not blocked: 127.0.0.3 is loopback"), r.err());
            assertTrue(r.err().contains("not blocked: 127.0.0.4 is loopback"), r.err());
            assertFalse(r.err().contains("127.0.0.2 "), r.err());

            r = run("--format", "iptables", "--source", "proc", "--port", p, "--state", "ESTABLISHED", "--min", "2", "--force");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("-A TCPLENS-BLOCK -s 127.0.0.3/32 -j DROP"), r.out());
            assertTrue(r.out().contains("-A TCPLENS-BLOCK -s 127.0.0.4/32 -j DROP"), r.out());
            assertFalse(r.out().contains("127.0.0.2/32"), r.out());
            assertTrue(r.out().contains("# Selection: remotes with at least 2 ESTABLISHED connections on local port " + p + " (2 found)"), r.out());
            assertTrue(r.out().contains("# Source: live"), r.out());

            r = run("--format", "nft", "--source", "proc", "--port", p, "--min", "50");
            assertEquals(1, r.code());
            assertEquals("tcplens: no remote matches: remotes with at least 50 connections on local port " + p, r.err().strip());
        } finally {
            for (AutoCloseable c : open) c.close();
        }
    }

    @Test
    void helpDescribesTheCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--format=FORMAT"), r.out());
        assertTrue(r.out().contains("--ip=ADDRESS_OR_CIDR"), r.out());
    }
}
