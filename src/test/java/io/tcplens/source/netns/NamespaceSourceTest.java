package io.tcplens.source.netns;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.cli.CoreCommandsTest;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.Ss;
import io.tcplens.testutil.TestNetns;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real namespace from {@code ip netns add} with real sockets held inside by a python child: the
 * netns source, by name and by pid, through netlink and through /proc, gives exactly the table
 * {@code ip netns exec NAME ss -tan} gives — socket by socket — and none of the host's.
 */
class NamespaceSourceTest {
    static final int EST_PAIRS = 40, TIME_WAIT = 20, CLOSE_WAIT = 10;
    static TestNetns ns;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        ns = new TestNetns(EST_PAIRS, TIME_WAIT, CLOSE_WAIT);
    }

    @AfterAll
    static void stop() {
        if (ns != null) ns.close();
    }

    @Test
    void byNameThroughNetlink() throws Exception {
        checkAgainstSs("netns:" + ns.name() + "/netlink", NamespaceSource.Reader.NETLINK);
    }

    @Test
    void byNameThroughProc() throws Exception {
        checkAgainstSs("netns:" + ns.name() + "/proc", NamespaceSource.Reader.PROC);
    }

    @Test
    void byPidThroughNetlink() throws Exception {
        checkAgainstSs("netns:pid:" + ns.pid(), NamespaceSource.Reader.NETLINK);
    }

    @Test
    void byPidThroughProc() throws Exception {
        checkAgainstSs("netns:pid:" + ns.pid() + "/proc", NamespaceSource.Reader.PROC);
    }

    private void checkAgainstSs(String spec, NamespaceSource.Reader reader) throws Exception {
        try (LoopbackSockets host = new LoopbackSockets(); SocketTableSource src = Sources.open(spec)) {
            Socket[] hostPair = host.established();
            NamespaceSource n = assertInstanceOf(NamespaceSource.class, src);
            assertEquals(reader, n.reader());
            assertTrue(src.info().description().contains("namespace"), src.info().description());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                // the namespace's table only moves while the closes settle: compare when ss agrees with itself around our poll
                Set<String> before = tuples(ns.ss());
                Snapshot s = src.poll();
                Set<String> after = tuples(ns.ss());
                Set<String> ours = s.sockets().stream().map(NamespaceSourceTest::tuple).collect(Collectors.toCollection(TreeSet::new));
                if (before.equals(after) && settled(after)) {
                    assertEquals(after, ours, () -> spec + ": socket by socket, as ip netns exec ss -tan; only ss: "
                            + diff(after, ours) + "; only ours: " + diff(ours, after));
                    Map<TcpState, Integer> counts = s.countByState();
                    assertEquals(2, counts.get(TcpState.LISTEN));
                    assertEquals(2 * EST_PAIRS, counts.get(TcpState.ESTABLISHED));
                    assertEquals(TIME_WAIT, counts.get(TcpState.TIME_WAIT));
                    assertEquals(CLOSE_WAIT, counts.get(TcpState.CLOSE_WAIT));
                    assertEquals(CLOSE_WAIT, counts.get(TcpState.FIN_WAIT2));
                    for (SocketEntry e : s.sockets()) {
                        if (e.state() == TcpState.ESTABLISHED || e.state() == TcpState.LISTEN) {
                            assertEquals(ns.pid(), e.pid(), "owner from the namespace's processes: " + e);
                            assertEquals("python3", e.process());
                        }
                    }
                    ConnectionKey hostKey = key(hostPair[0]);
                    assertFalse(s.sockets().stream().anyMatch(e -> e.key().equals(hostKey)), "a host socket leaked in");
                    assertTrue(s.sockets().size() < 200, "the host's table is not in it: " + s.sockets().size());
                    return;
                }
                assertTrue(System.nanoTime() < deadline, spec + ": the namespace's table did not settle; ss: " + after);
                Thread.sleep(50);
            }
        }
    }

    private static boolean settled(Set<String> ssTuples) {
        return ssTuples.stream().filter(t -> t.startsWith("TIME_WAIT")).count() == TIME_WAIT
                && ssTuples.stream().filter(t -> t.startsWith("CLOSE_WAIT")).count() == CLOSE_WAIT;
    }

    private static ConnectionKey key(Socket s) {
        return new ConnectionKey(new Endpoint(s.getLocalAddress(), s.getLocalPort()),
                new Endpoint(s.getInetAddress(), s.getPort()));
    }

    static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    static Set<String> tuples(List<Ss.Row> rows) {
        return rows.stream().map(r -> r.state() + " " + r.local() + " " + r.localPort() + " " + r.peer() + " " + r.peerPort())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static String tuple(SocketEntry e) {
        return e.state() + " " + e.local().host() + " " + e.local().port() + " " + e.remote().host() + " " + e.remote().port();
    }

    @Test
    void aMissingNamespaceOrProcessIsOneLine() {
        SourceException a = assertThrows(SourceException.class, () -> Sources.open("netns:no-such-ns-" + System.nanoTime()));
        assertTrue(a.getMessage().startsWith("no network namespace named"), a.getMessage());
        SourceException b = assertThrows(SourceException.class, () -> Sources.open("netns:pid:999999999"));
        assertEquals("no process with PID 999999999", b.getMessage());
        SourceException c = assertThrows(SourceException.class, () -> Sources.open("netns:a/b/c"));
        assertFalse(c.getMessage().contains("\n"));
    }

    /**
     * The CLI run as user nobody (setpriv): one line naming CAP_SYS_ADMIN, a non-zero exit, and
     * nothing on stdout — never the host's table instead. The classpath is copied where nobody may read it.
     */
    @Test
    void withoutPrivilegeTheCliSaysWhichCapabilityIsMissing(@TempDir Path tmp) throws Exception {
        assumeTrue(new File("/usr/bin/setpriv").canExecute(), "needs setpriv");
        Path lib = tmp.resolve("cp");
        Files.createDirectories(lib);
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                Path copy = lib.resolve((i++) + "-" + p.getFileName());
                Files.copy(p, copy);
                cp.add(copy.toString());
            } else cp.add(entry);
        }
        for (Path p = tmp; p != null; p = p.getParent()) p.toFile().setExecutable(true, false);
        try (var files = Files.walk(tmp)) {
            files.forEach(f -> { f.toFile().setReadable(true, false); f.toFile().setExecutable(true, false); });
        }
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        for (String target : new String[] {ns.name(), "pid:" + ns.pid()}) {
            for (String reader : new String[] {"netlink", "proc"}) {
                Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, cp),
                        "io.tcplens.app.Main", "counts", "--netns", target, "--source", reader)
                        .directory(tmp.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes());
                String err = new String(p.getErrorStream().readAllBytes()).strip();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertNotEquals(0, p.exitValue(), target + "/" + reader + ": " + out);
                assertEquals("", out, "no table at all, least of all the host's");
                assertEquals(1, err.lines().count(), err);
                assertTrue(err.startsWith("tcplens: cannot enter the network namespace") && err.contains("CAP_SYS_ADMIN (run as root)"), err);
            }
        }
    }

    @Test
    void theNamespacesOwnFactsAreUsed() throws Exception {
        assertEquals(0, TestNetns.run("ip", "netns", "exec", ns.name(), "sysctl", "-qw", "net.ipv4.ip_local_port_range=41000 41999"));
        try (NamespaceSource src = (NamespaceSource) Sources.open("netns:" + ns.name())) {
            var range = new LinuxPortRangeReader(src.sysctlRoot()).read();
            assertEquals("41000 41999", range.first() + " " + range.last(), "the namespace's range, not the host's");
            assertTrue(src.ownAddresses().contains("127.0.0.1"), src.ownAddresses().toString());
            assertTrue(Files.isRegularFile(src.procRoot().resolve("net/netstat")));
        }
        CoreCommandsTest.Run ports = CoreCommandsTest.run("ports", "--netns", ns.name(), "--sample", "0");
        assertEquals(0, ports.code(), ports.err());
        assertTrue(ports.out().contains("41000–41999"), ports.out());
        assertTrue(ports.out().contains("network namespace '" + ns.name() + "'"), "says which namespace it shows: " + ports.out());
    }

    @Test
    void theNamespacesCommandListsTheNamespace() {
        CoreCommandsTest.Run r = CoreCommandsTest.run("namespaces");
        assertEquals(0, r.code(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith(ns.name() + " ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(line.matches(Pattern.quote(ns.name()) + "\\s+\\d+\\s+-\\s+python3"), line);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("(this one)")), r.out());
    }
}
