package io.tcplens.source.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.cli.TcpLensCommand;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.SourceException;
import io.tcplens.testutil.Ss;
import io.tcplens.testutil.TestNetns;
import io.tcplens.testutil.TestSshd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd (Debian's openssh-server) with generated keys, running in a namespace of its own
 * reached over a veth pair, so the "server's" table is that namespace's and can be compared
 * exactly with {@code ip netns exec NAME ss -tan}.
 */
class SshSourceTest {
    static final int EST_PAIRS = 20, TIME_WAIT = 10, CLOSE_WAIT = 5;
    static TestNetns ns;
    static TestSshd sshd;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestSshd.usable(), "needs root, ip netns, python3 and openssh-server");
        ns = new TestNetns(EST_PAIRS, TIME_WAIT, CLOSE_WAIT);
        sshd = new TestSshd(ns, tmp);
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
        if (ns != null) ns.close();
    }

    static SshSource open() throws SourceException {
        return new SshSource(SshTarget.parse(sshd.uri()), SshSettings.ofDirectory(sshd.clientDir(), null), true);
    }

    @Test
    void perStateCountsEqualSsOnTheServer() throws Exception {
        // a port range only the server has: the facts must be the server's, not this machine's
        assertEquals(0, TestNetns.run("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40999"));
        try (SshSource src = open()) {
            assertTrue(src.info().description().contains(sshd.address()), src.info().description());
            Snapshot s = settledPoll(src);
            Map<TcpState, Integer> c = s.countByState();
            assertEquals(2 * EST_PAIRS + 1, c.get(TcpState.ESTABLISHED), "the pairs and our own SSH connection");
            assertEquals(TIME_WAIT, s.sockets().stream().filter(e -> e.state() == TcpState.TIME_WAIT && e.remote().port() == 8080).count(),
                    "the python child's TIME_WAITs (the probes of other tests may add their own)");
            assertEquals(CLOSE_WAIT, c.get(TcpState.CLOSE_WAIT));
            assertEquals(3, c.get(TcpState.LISTEN), "python's two and sshd's");
            for (SocketEntry e : s.sockets())
                if (e.local().port() == 8080 && e.state() == TcpState.ESTABLISHED) assertEquals(ns.pid(), e.pid(), e.toString());
            assertTrue(s.sockets().stream().anyMatch(e -> e.local().port() == sshd.port() && e.state() == TcpState.LISTEN
                    && "sshd".equals(e.process())), "owners come from the server's /proc");
            // the server's facts, for the analyses and the export
            EphemeralPortRange range = new LinuxPortRangeReader(src.sysctlRoot()).read();
            assertEquals("40000 40999", range.first() + " " + range.last());
            assertTrue(src.ownAddresses().contains(sshd.address()), src.ownAddresses().toString());
            String[] a = sshd.address().split("\\.");
            String hostSide = a[0] + "." + a[1] + "." + a[2] + "." + (Integer.parseInt(a[3]) - 1);
            assertEquals(hostSide, src.operatorAddress().orElseThrow(), "the workstation's address as the server sees it");
            assertTrue(Files.isRegularFile(src.procRoot().resolve("net/netstat")));
            assertTrue(src.roundTripMillis() > 0);
        }
    }

    private Snapshot settledPoll(SshSource src) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Set<String> before = tuples(ns.ss());
            Snapshot s = src.poll();
            Set<String> after = tuples(ns.ss());
            Set<String> ours = s.sockets().stream()
                    .map(e -> e.state() + " " + e.local().host() + " " + e.local().port() + " " + e.remote().host() + " " + e.remote().port())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (before.equals(after)) {
                assertEquals(after, ours, "socket by socket, as ip netns exec ss -tan on the server");
                return s;
            }
            assertTrue(System.nanoTime() < deadline, "the server's table did not settle");
            Thread.sleep(50);
        }
    }

    static Set<String> tuples(List<Ss.Row> rows) {
        return rows.stream().map(r -> r.state() + " " + r.local() + " " + r.localPort() + " " + r.peer() + " " + r.peerPort())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unknown"));
        Files.copy(sshd.clientDir().resolve("id_ed25519"), dir.resolve("id_ed25519"));
        Files.writeString(dir.resolve("known_hosts"), "");
        SourceException e = assertThrows(SourceException.class,
                () -> new SshSource(SshTarget.parse(sshd.uri()), SshSettings.ofDirectory(dir, null), true));
        assertTrue(e.getMessage().startsWith("refusing " + sshd.address() + ":" + sshd.port() + ": its host key is not in"), e.getMessage());
        assertTrue(e.getMessage().contains("SHA256:"), "offers the fingerprint: " + e.getMessage());
        assertFalse(Files.readString(dir.resolve("known_hosts")).contains("ssh-ed25519"), "never recorded blindly");
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("changed"));
        Files.copy(sshd.clientDir().resolve("id_ed25519"), dir.resolve("id_ed25519"));
        Files.writeString(dir.resolve("known_hosts"), sshd.otherHostKeyLine() + "\n");
        SourceException e = assertThrows(SourceException.class,
                () -> new SshSource(SshTarget.parse(sshd.uri()), SshSettings.ofDirectory(dir, null), true));
        assertTrue(e.getMessage().contains("host key CHANGED"), e.getMessage());
    }

    @Test
    void aDroppedConnectionIsStaleThenReconnects() throws Exception {
        try (SshSource src = open()) {
            src.poll();
            sshd.kill();
            long deadline = System.nanoTime() + 30_000_000_000L;
            String stale = null;
            while (stale == null) {
                try {
                    src.poll();
                } catch (SourceException e) {
                    stale = e.getMessage();
                }
                assertTrue(System.nanoTime() < deadline, "the dropped connection was not noticed");
            }
            assertTrue(stale.contains("the table shown is the last good one") && stale.contains("stale")
                    && stale.contains("reconnecting in"), stale);
            assertFalse(src.connected());
            sshd.start();
            deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try {
                    src.poll();
                    break;
                } catch (SourceException e) {
                    assertTrue(System.nanoTime() < deadline, "no reconnect: " + e.getMessage());
                    Thread.sleep(200);
                }
            }
            assertTrue(src.connected());
            assertEquals(1, src.reconnects());
            settledPoll(src);
        }
    }

    @Test
    void theExportNeverBlocksTheOperatorAsTheServerSeesIt() throws Exception {
        String[] a = sshd.address().split("\\.");
        String hostSide = a[0] + "." + a[1] + "." + a[2] + "." + (Integer.parseInt(a[3]) - 1);
        String[] r = cli("export-rules", "--source", sshd.uri(), "--port", Integer.toString(sshd.port()), "--format", "nft");
        assertNotEquals("0", r[0], "the only remote of port 2222 is this workstation: nothing may be blocked");
        assertTrue(r[2].contains("not blocked: " + hostSide), r[2]);
        assertTrue(r[2].contains("SSH"), r[2]);
    }

    /** Runs the CLI with the fixture's ~/.ssh; returns exit code, stdout, stderr. */
    static String[] cli(String... args) {
        String old = System.getProperty(SshSettings.DIR_PROPERTY);
        System.setProperty(SshSettings.DIR_PROPERTY, sshd.clientDir().toString());
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = TcpLensCommand.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (old == null) System.clearProperty(SshSettings.DIR_PROPERTY);
            else System.setProperty(SshSettings.DIR_PROPERTY, old);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theCliReadsTheServer() throws Exception {
        String old = System.getProperty(SshSettings.DIR_PROPERTY);
        System.setProperty(SshSettings.DIR_PROPERTY, sshd.clientDir().toString());
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = TcpLensCommand.run("counts", "--json", "--source", sshd.uri());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (old == null) System.clearProperty(SshSettings.DIR_PROPERTY);
            else System.setProperty(SshSettings.DIR_PROPERTY, old);
        }
        assertEquals(0, code, err.toString());
        JsonNode c = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(3, c.get("LISTEN").asInt());
        assertEquals(CLOSE_WAIT, c.get("CLOSE_WAIT").asInt());
    }
}
