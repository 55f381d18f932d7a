package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.PrivateNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, per-socket fields, against the kernel: two private namespaces joined by two veth pairs
 * carry the same link-local 4-tuple ([fe80::77]:8080 ↔ [fe80::88]:40000) on two interfaces; the
 * server namespace also holds a request socket (nft drops its SYN-ACK), a TIME_WAIT socket, two
 * listeners with known backlogs and a bound-only socket. The CLI is run inside that namespace on
 * netlink and on /proc and compared with {@code ss -tanoie} there.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelTruthNetnsTest {
    private static PrivateNetns srv;
    private static PrivateNetns cli;
    private static List<JsonNode> netlink;
    private static List<JsonNode> proc;
    private static List<JsonNode> oshi;
    private static List<JsonNode> replayed;
    private static String ssBefore;
    private static String ssCountsBefore;
    private static String ssCountsAfter;

    @BeforeAll
    static void buildTable() throws Exception {
        String why = PrivateNetns.unavailableReason();
        assumeTrue(why == null, () -> "skipped: needs private network namespaces: " + why);
        assumeTrue(PrivateNetns.host("nft", "--version").exit() == 0, "skipped: nft (nftables) is not installed");
        srv = PrivateNetns.create("truth-s");
        cli = PrivateNetns.create("truth-c");
        for (int i = 0; i < 2; i++) {
            srv.ip("link", "add", "va" + i, "type", "veth", "peer", "name", "vb" + i, "netns", cli.name());
            srv.ip("addr", "add", "fe80::77/64", "dev", "va" + i, "nodad");
            cli.ip("addr", "add", "fe80::88/64", "dev", "vb" + i, "nodad");
            srv.ip("link", "set", "va" + i, "up");
            cli.ip("link", "set", "vb" + i, "up");
        }
        // the SYN-ACKs of 127.0.0.1:8081 never arrive: its handshakes stay request sockets (SYN_RECV). Dropped on
        // input, not output: a SYN-ACK the listener cannot send makes the kernel drop the request at once.
        srv.must("nft", "add table inet t14; add chain inet t14 in { type filter hook input priority 0; };"
                + " add rule inet t14 in tcp sport 8081 tcp flags & (syn|ack) == syn|ack drop");
        srv.worker("listen,::,8080,50", "listen,127.0.0.1,8081,7", "listen,127.0.0.1,8082,50",
                "bind,127.0.0.1,9090", "syn,127.0.0.1,8081", "timewait,127.0.0.1,8082");
        cli.worker("connect,fe80::88%vb0,40000,fe80::77%vb0,8080", "connect,fe80::88%vb1,40000,fe80::77%vb1,8080");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String ss = ss("-tanH");
            if (ss.lines().filter(l -> l.startsWith("ESTAB") && l.contains(":40000")).count() == 2
                    && ss.contains("SYN-RECV") && ss.contains("TIME-WAIT")) break;
            assertTrue(System.nanoTime() < deadline, "the namespace's table did not settle in 30 s:\n" + ss);
            Thread.sleep(50);
        }
        ssBefore = ss("-tanoieH");
        ssCountsBefore = ss("-tanH");
        netlink = snapshot("netlink");
        proc = snapshot("proc");
        oshi = snapshot("oshi");
        Path rec = Files.createTempDirectory("tcplens-truth").resolve("zones.tcplens");
        srv.tcplens("record", "--source", "netlink", "--count", "1", "--quiet", "-o", rec.toString());
        replayed = snapshot("replay:" + rec);
        Files.deleteIfExists(rec);
        Files.deleteIfExists(rec.getParent());
        ssCountsAfter = ss("-tanH");
    }

    @AfterAll
    static void cleanup() {
        for (PrivateNetns ns : new PrivateNetns[] {srv, cli}) if (ns != null) ns.close();
        srv = cli = null;
    }

    @Test
    void linkLocalScopeIsCarriedPrintedAndKeptApart() {
        List<JsonNode> est = rows(netlink, r -> r.get("state").asText().equals("ESTABLISHED") && r.get("remotePort").asInt() == 40000);
        assertEquals(2, est.size(), "netlink rows of the two link-local connections: " + est);
        assertEquals(Set.of("fe80::77%va0", "fe80::77%va1"), texts(est, "localAddress"), "local zones, ss says:\n" + ssBefore);
        assertEquals(Set.of("fe80::88%va0", "fe80::88%va1"), texts(est, "remoteAddress"));
        assertTrue(ssBefore.contains("[fe80::77]%va0:8080") && ssBefore.contains("[fe80::77]%va1:8080"),
                "ss shows the same zones:\n" + ssBefore);
        // /proc/net/tcp6 has no interface column: the same two sockets, with no zone and one key
        List<JsonNode> p = rows(proc, r -> r.get("state").asText().equals("ESTABLISHED") && r.get("remotePort").asInt() == 40000);
        assertEquals(2, p.size(), "proc rows: " + p);
        assertEquals(Set.of("fe80::77"), texts(p, "localAddress"));
    }

    @Test
    void aRecordingKeepsTheZones() {
        // record (netlink) in the namespace, then replay the file: the same two connections, zones and all
        List<JsonNode> est = rows(replayed, r -> r.get("state").asText().equals("ESTABLISHED") && r.get("remotePort").asInt() == 40000);
        assertEquals(2, est.size(), "replayed rows of the two link-local connections: " + est);
        assertEquals(Set.of("fe80::77%va0", "fe80::77%va1"), texts(est, "localAddress"));
        assertEquals(Set.of("fe80::88%va0", "fe80::88%va1"), texts(est, "remoteAddress"));
    }

    @Test
    void boundOnlySocketsAreOnNoSourceAndCountsAgreeWithSs() throws Exception {
        assertEquals(ssCountsBefore, ssCountsAfter, "the namespace changed between the readings");
        Map<TcpState, Integer> ss = new EnumMap<>(TcpState.class);
        ssCountsBefore.lines().map(l -> l.trim().split("\\s+")[0]).filter(s -> !s.isEmpty())
                .forEach(s -> ss.merge(TcpState.parse(s).orElseThrow(() -> new AssertionError("ss state " + s)), 1, Integer::sum));
        assertEquals(ss, counts(netlink), "netlink against ss -tan\n" + ssCountsBefore);
        assertEquals(ss, counts(proc), "proc against ss -tan\n" + ssCountsBefore);
        assertEquals(0, rows(netlink, r -> r.get("localPort").asInt() == 9090).size(), "the bound-only socket on netlink");
        JsonNode c = new ObjectMapper().readTree(srv.tcplens("counts", "--json", "--source", "netlink"));
        Map<TcpState, Integer> fromCounts = new EnumMap<>(TcpState.class);
        c.properties().forEach(e -> {
            if (e.getValue().asInt() != 0) fromCounts.put(TcpState.valueOf(e.getKey()), e.getValue().asInt());
        });
        assertEquals(ss, fromCounts, "counts --json --source netlink against ss -tan");
    }

    @Test
    void requestSocketsAreNewSynRecvWithNoUidOnBothSources() {
        for (var src : Map.of("netlink", netlink, "proc", proc).entrySet()) {
            List<JsonNode> req = rows(src.getValue(), r -> r.get("localPort").asInt() == 8081 && r.get("state").asText().equals("SYN_RECV"));
            assertEquals(1, req.size(), src.getKey() + " request sockets: " + req);
            assertEquals("NEW_SYN_RECV", req.get(0).get("kernelState").asText(), src.getKey());
            assertTrue(req.get(0).get("uid").isNull(), src.getKey() + ": a request socket has no owner: " + req.get(0));
            List<JsonNode> syn = rows(src.getValue(), r -> r.get("remotePort").asInt() == 8081 && r.get("state").asText().equals("SYN_SENT"));
            assertEquals(1, syn.size(), src.getKey() + " the client: " + syn);
            assertEquals(0, syn.get(0).get("uid").asInt(), src.getKey() + ": a full socket keeps its uid");
            assertEquals("SYN_SENT", syn.get(0).get("kernelState").asText());
        }
    }

    @Test
    void timeWaitHasNoUidAndEstablishedKeepsIt() {
        for (var src : Map.of("netlink", netlink, "proc", proc).entrySet()) {
            List<JsonNode> tw = rows(src.getValue(), r -> r.get("state").asText().equals("TIME_WAIT"));
            assertEquals(1, tw.size(), src.getKey() + ": " + tw);
            assertTrue(tw.get(0).get("uid").isNull(), src.getKey() + ": " + tw.get(0));
            rows(src.getValue(), r -> r.get("state").asText().equals("ESTABLISHED"))
                    .forEach(r -> assertTrue(r.get("uid").isInt() && r.get("uid").asInt() == 0, src.getKey() + ": " + r));
        }
    }

    @Test
    void listenSendQueueIsTheBacklogOnNetlinkAndUnknownOnProc() {
        for (int port : new int[] {8081, 8082}) {
            int backlog = port == 8081 ? 7 : 50;
            JsonNode nl = rows(netlink, r -> r.get("localPort").asInt() == port && r.get("state").asText().equals("LISTEN")).get(0);
            JsonNode pr = rows(proc, r -> r.get("localPort").asInt() == port && r.get("state").asText().equals("LISTEN")).get(0);
            assertEquals(backlog, nl.get("sendQueue").asInt(), "netlink: " + nl);
            assertTrue(ssBefore.lines().anyMatch(l -> l.matches("LISTEN\\s+\\d+\\s+" + backlog + "\\s+\\S*127\\.0\\.0\\.1\\]?:" + port + "\\s.*")),
                    "ss Send-Q of " + port + ":\n" + ssBefore);
            assertTrue(pr.get("sendQueue").isNull(), "proc has no backlog column: " + pr);
            assertTrue(pr.get("receiveQueue").isInt(), "proc's accept queue is known: " + pr);
        }
    }

    @Test
    void oshiSaysWhatTheOthersSayOfADualStackListener() {
        for (int port : new int[] {8081, 8082}) {
            List<JsonNode> l = rows(oshi, r -> r.get("localPort").asInt() == port && r.get("state").asText().equals("LISTEN"));
            assertEquals(1, l.size(), "oshi listeners on " + port + ": " + l);
            JsonNode nl = rows(netlink, r -> r.get("localPort").asInt() == port && r.get("state").asText().equals("LISTEN")).get(0);
            assertEquals(nl.get("localAddress").asText(), l.get(0).get("localAddress").asText());
            assertEquals("0.0.0.0", l.get(0).get("remoteAddress").asText(), "the v4-mapped listener's wildcard remote: " + l.get(0));
            assertEquals(nl.get("remoteAddress").asText(), l.get(0).get("remoteAddress").asText());
            assertTrue(l.get(0).get("sendQueue").isNull(), "oshi knows no backlog: " + l.get(0));
            assertTrue(l.get(0).get("uid").isNull(), "oshi knows no uid: " + l.get(0));
        }
    }

    // ---- helpers

    private static Map<TcpState, Integer> counts(List<JsonNode> rows) {
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        rows.forEach(r -> m.merge(TcpState.valueOf(r.get("state").asText()), 1, Integer::sum));
        return m;
    }

    private static List<JsonNode> rows(List<JsonNode> all, Predicate<JsonNode> p) {
        return all.stream().filter(p).toList();
    }

    private static Set<String> texts(List<JsonNode> rows, String field) {
        Set<String> s = new TreeSet<>();
        rows.forEach(r -> s.add(r.get(field).asText()));
        return s;
    }

    private static List<JsonNode> snapshot(String source) throws Exception {
        JsonNode arr = new ObjectMapper().readTree(srv.tcplens("snapshot", "--format", "json", "--source", source));
        List<JsonNode> out = new ArrayList<>();
        arr.forEach(out::add);
        return out;
    }

    private static String ss(String flags) throws Exception {
        return srv.ss(flags);
    }
}
