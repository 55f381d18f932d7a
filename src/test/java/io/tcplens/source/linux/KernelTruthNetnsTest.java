package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.app.Main;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.NetnsSocketWorker;
import io.tcplens.testutil.ScaleTable;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static String srv;
    private static String cli;
    private static final List<Process> WORKERS = new ArrayList<>();
    private static final Thread CLEANUP = new Thread(KernelTruthNetnsTest::cleanup, "truth-netns-cleanup");
    private static List<JsonNode> netlink;
    private static List<JsonNode> proc;
    private static List<JsonNode> oshi;
    private static List<JsonNode> replayed;
    private static String ssBefore;
    private static String ssCountsBefore;
    private static String ssCountsAfter;

    @BeforeAll
    static void buildTable() throws Exception {
        String why = ScaleTable.netnsUnavailableReason();
        assumeTrue(why == null, () -> "skipped: needs private network namespaces: " + why);
        assumeTrue(run(List.of("nft", "--version")).exit == 0, "skipped: nft (nftables) is not installed");
        String base = "tl-truth-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        srv = base + "-s";
        cli = base + "-c";
        Runtime.getRuntime().addShutdownHook(CLEANUP);
        must("ip", "netns", "add", srv);
        must("ip", "netns", "add", cli);
        for (String ns : List.of(srv, cli)) must("ip", "-n", ns, "link", "set", "lo", "up");
        for (int i = 0; i < 2; i++) {
            must("ip", "-n", srv, "link", "add", "va" + i, "type", "veth", "peer", "name", "vb" + i, "netns", cli);
            must("ip", "-n", srv, "addr", "add", "fe80::77/64", "dev", "va" + i, "nodad");
            must("ip", "-n", cli, "addr", "add", "fe80::88/64", "dev", "vb" + i, "nodad");
            must("ip", "-n", srv, "link", "set", "va" + i, "up");
            must("ip", "-n", cli, "link", "set", "vb" + i, "up");
        }
        // the SYN-ACKs of 127.0.0.1:8081 never arrive: its handshakes stay request sockets (SYN_RECV). Dropped on
        // input, not output: a SYN-ACK the listener cannot send makes the kernel drop the request at once.
        must("ip", "netns", "exec", srv, "nft", "add table inet t14; add chain inet t14 in { type filter hook input priority 0; };"
                + " add rule inet t14 in tcp sport 8081 tcp flags & (syn|ack) == syn|ack drop");
        worker(srv, "listen,::,8080,50", "listen,127.0.0.1,8081,7", "listen,127.0.0.1,8082,50",
                "bind,127.0.0.1,9090", "syn,127.0.0.1,8081", "timewait,127.0.0.1,8082");
        worker(cli, "connect,fe80::88%vb0,40000,fe80::77%vb0,8080", "connect,fe80::88%vb1,40000,fe80::77%vb1,8080");
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
        cliOut(srv, "record", "--source", "netlink", "--count", "1", "--quiet", "-o", rec.toString());
        replayed = snapshot("replay:" + rec);
        Files.deleteIfExists(rec);
        Files.deleteIfExists(rec.getParent());
        ssCountsAfter = ss("-tanH");
    }

    @AfterAll
    static void cleanup() {
        for (Process p : WORKERS) p.destroyForcibly();
        for (String ns : new String[] {srv, cli}) {
            if (ns == null) continue;
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (Exception e) {
                // best effort; the shutdown hook tries again
            }
        }
        srv = cli = null;
        try {
            Runtime.getRuntime().removeShutdownHook(CLEANUP);
        } catch (IllegalStateException e) {
            // already shutting down
        }
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
        JsonNode c = new ObjectMapper().readTree(cliOut(srv, "counts", "--json", "--source", "netlink"));
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
        JsonNode arr = new ObjectMapper().readTree(cliOut(srv, "snapshot", "--format", "json", "--source", source));
        List<JsonNode> out = new ArrayList<>();
        arr.forEach(out::add);
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String cliOut(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        File err = Files.createTempFile("tcplens-truth", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args) + " did not finish in 60 s");
            assertEquals(0, p.exitValue(), String.join(" ", args) + " failed: " + Files.readString(err.toPath()) + out);
            return out;
        } finally {
            err.delete();
        }
    }

    private static void worker(String ns, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NetnsSocketWorker.class.getName()));
        cmd.addAll(List.of(commands));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        WORKERS.add(p);
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        assertEquals("READY", line, "socket worker in " + ns + " (" + String.join(" ", commands) + ")");
    }

    private static String ss(String flags) throws Exception {
        Result r = run(List.of("ip", "netns", "exec", srv, "ss", flags), false);
        assertEquals(0, r.exit, "ss " + flags + ": " + r.out);
        return r.out;
    }

    private record Result(int exit, String out) {}

    private static void must(String... cmd) throws Exception {
        Result r = run(List.of(cmd));
        assertEquals(0, r.exit, String.join(" ", cmd) + ": " + r.out);
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, true);
    }

    /** Runs a command; stderr goes with stdout when {@code mergeErr}, else away (ss complains of cgroup2 on stderr). */
    private static Result run(List<String> cmd, boolean mergeErr) throws IOException, InterruptedException {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (mergeErr) pb.redirectErrorStream(true);
            else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }
}
