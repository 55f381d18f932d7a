package io.tcplens.analysis.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.PrivateNetns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 item 13: the SYN rule against the kernel. In a private namespace with
 * {@code tcp_max_syn_backlog = 16}, nft drops the SYN-ACKs on their way back to the clients, so every
 * handshake stays a request socket (SYN_RECV) on the listener; 40 SYNs go to each listener. The kernel
 * decides what it keeps; {@code tcplens advise} run in the namespace must state the same bound per
 * port, and suggest tcp_max_syn_backlog only where it is the bound (cookies off).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SynBacklogKernelTest {
    private static final Pattern BOUND = Pattern.compile("local port (\\d+): (\\d+) half-open of at most (\\d+)");
    private PrivateNetns ns;

    @AfterEach
    void cleanup() {
        if (ns != null) ns.close();
    }

    @Test
    void withCookiesOnTheListenBacklogIsTheBoundNotTcpMaxSynBacklog() throws Exception {
        Map<Integer, Integer> held = flood("1", Map.of(8101, 128, 8102, 8));
        // the kernel: listen(128) keeps all 40 although tcp_max_syn_backlog is 16; listen(8) keeps 8 + 1, then cookies
        assertEquals(40, held.get(8101), "listen(128), syncookies 1: " + held);
        assertEquals(9, held.get(8102), "listen(8), syncookies 1: " + held);
        assertTrue(netstat("SyncookiesSent") > 0, "the full listener answered with cookies");
        JsonNode f = synFinding();
        Map<Integer, long[]> said = bounds(f);
        assertEquals(9, said.get(8102)[1], "TcpLens's bound of the full listener: " + f);
        assertEquals(9, said.get(8102)[0], "TcpLens saw what the kernel kept: " + f);
        assertEquals(129, said.get(8101)[1], "TcpLens's bound of listen(128): " + f);
        assertTrue(said.get(8101)[1] >= held.get(8101));
        for (JsonNode s : f.get("sysctls"))
            assertTrue(!s.get("name").asText().equals(KernelSettings.MAX_SYN_BACKLOG), "no tcp_max_syn_backlog advice with cookies on: " + f);
        assertTrue(f.get("fixes").get(0).asText().startsWith("Port 8102's SYN queue is full"), f.toString());
    }

    @Test
    void withCookiesOffTcpMaxSynBacklogBoundsUnprovenPeers() throws Exception {
        Map<Integer, Integer> held = flood("0", Map.of(8103, 128));
        // 16 - 16/4 + 1 = 13 for peers not proven alive, then ListenDrops
        assertEquals(13, held.get(8103), "listen(128), syncookies 0, tcp_max_syn_backlog 16: " + held);
        assertTrue(netstat("ListenDrops") > 0, "the rest were dropped");
        JsonNode f = synFinding();
        Map<Integer, long[]> said = bounds(f);
        assertEquals(13, said.get(8103)[1], "TcpLens's bound: " + f);
        assertEquals(13, said.get(8103)[0], "TcpLens saw what the kernel kept: " + f);
        assertTrue(f.get("sysctls").toString().contains(KernelSettings.MAX_SYN_BACKLOG), "here tcp_max_syn_backlog is the answer: " + f);
    }

    // ---- the namespace

    /** Sets the sysctls, starts the listeners, sends 40 SYNs to each; returns the request sockets per port once they hold still. */
    private Map<Integer, Integer> flood(String syncookies, Map<Integer, Integer> backlogs) throws Exception {
        String why = PrivateNetns.unavailableReason();
        assumeTrue(why == null, () -> "skipped: needs private network namespaces: " + why);
        assumeTrue(PrivateNetns.host("nft", "--version").exit() == 0, "skipped: nft (nftables) is not installed");
        ns = PrivateNetns.create("syn");
        ns.sysctl("net.ipv4.tcp_max_syn_backlog=16", "net.ipv4.tcp_syncookies=" + syncookies, "net.core.somaxconn=4096");
        // SYN-ACKs from the listeners are dropped on input: the clients never answer, the handshakes hold still
        ns.must("nft", "add table inet t13; add chain inet t13 in { type filter hook input priority 0; };"
                + " add rule inet t13 in tcp sport 8100-8199 tcp flags & (syn|ack) == syn|ack drop");
        List<String> listeners = new ArrayList<>();
        backlogs.forEach((port, b) -> listeners.add("listen,127.0.0.1," + port + "," + b));
        PrivateNetns.Worker worker = ns.worker(listeners);
        for (int port : backlogs.keySet()) {
            worker.send("syns,127.0.0.1," + port + ",40");
            assertEquals("SYNS 40", worker.readLine());
        }
        // every SYN was sent (80 or 40 clients in SYN-SENT) and the server's count held still for 1 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<Integer, Integer> last = null;
        long stillSince = System.nanoTime();
        while (true) {
            String ss = ss();
            Map<Integer, Integer> now = new HashMap<>();
            long sent = ss.lines().filter(l -> l.startsWith("SYN-SENT")).count();
            for (int port : backlogs.keySet()) now.put(port, (int) ss.lines()
                    .filter(l -> l.startsWith("SYN-RECV") && l.split("\\s+")[3].endsWith(":" + port)).count());
            if (!now.equals(last) || sent != 40L * backlogs.size()) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > TimeUnit.SECONDS.toNanos(1)) {
                return now;
            }
            assertTrue(System.nanoTime() < deadline, "the namespace's handshakes did not settle in 30 s:\n" + ss);
            Thread.sleep(100);
        }
    }

    /** {@code tcplens advise --json} in the namespace; its syn-recv finding. */
    private JsonNode synFinding() throws Exception {
        JsonNode advice = new ObjectMapper().readTree(ns.tcplens("advise", "--json", "--source", "netlink", "--sample", "1s"));
        for (JsonNode f : advice.get("findings")) if (f.get("rule").asText().equals("syn-recv")) return f;
        throw new AssertionError("no syn-recv finding: " + advice.toPrettyString());
    }

    /** Per port: {half-open, bound} as the finding's evidence states them. */
    private static Map<Integer, long[]> bounds(JsonNode finding) {
        Map<Integer, long[]> m = new HashMap<>();
        for (JsonNode e : finding.get("evidence")) {
            Matcher x = BOUND.matcher(e.asText().replace(",", ""));
            if (x.find()) m.put(Integer.parseInt(x.group(1)), new long[] {Long.parseLong(x.group(2)), Long.parseLong(x.group(3))});
        }
        return m;
    }

    private long netstat(String field) throws Exception {
        List<String> lines = ns.run("cat", "/proc/net/netstat").out().lines()
                .filter(l -> l.startsWith("TcpExt:")).toList();
        List<String> names = List.of(lines.get(0).split("\\s+"));
        return Long.parseLong(lines.get(1).split("\\s+")[names.indexOf(field)]);
    }

    private String ss() throws Exception {
        return ns.ss("-tanH");
    }
}
