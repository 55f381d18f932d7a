package io.tcplens.analysis.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.app.Main;
import io.tcplens.testutil.NetnsSocketWorker;
import io.tcplens.testutil.ScaleTable;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Pattern BOUND = Pattern.compile("local port (\\d+): (\\d+) half-open of at most (\\d+)");
    private String ns;
    private Process worker;

    @AfterEach
    void cleanup() throws Exception {
        if (worker != null) worker.destroyForcibly();
        if (ns != null) run("ip", "netns", "del", ns);
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
        String why = ScaleTable.netnsUnavailableReason();
        assumeTrue(why == null, () -> "skipped: needs private network namespaces: " + why);
        assumeTrue(run("nft", "--version").exit == 0, "skipped: nft (nftables) is not installed");
        ns = "tl-syn-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        must("ip", "netns", "add", ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.tcp_max_syn_backlog=16",
                "net.ipv4.tcp_syncookies=" + syncookies, "net.core.somaxconn=4096");
        // SYN-ACKs from the listeners are dropped on input: the clients never answer, the handshakes hold still
        must("ip", "netns", "exec", ns, "nft", "add table inet t13; add chain inet t13 in { type filter hook input priority 0; };"
                + " add rule inet t13 in tcp sport 8100-8199 tcp flags & (syn|ack) == syn|ack drop");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NetnsSocketWorker.class.getName()));
        backlogs.forEach((port, b) -> cmd.add("listen,127.0.0.1," + port + "," + b));
        worker = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals("READY", in.readLine());
        OutputStream out = worker.getOutputStream();
        for (int port : backlogs.keySet()) {
            out.write(("syns,127.0.0.1," + port + ",40\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("SYNS 40", in.readLine());
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
        JsonNode advice = new ObjectMapper().readTree(cli("advise", "--json", "--source", "netlink", "--sample", "1s"));
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
        List<String> lines = run("ip", "netns", "exec", ns, "cat", "/proc/net/netstat").out.lines()
                .filter(l -> l.startsWith("TcpExt:")).toList();
        List<String> names = List.of(lines.get(0).split("\\s+"));
        return Long.parseLong(lines.get(1).split("\\s+")[names.indexOf(field)]);
    }

    private String ss() throws Exception {
        Result r = run("ip", "netns", "exec", ns, "ss", "-tanH");
        assertEquals(0, r.exit, r.out);
        return r.out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        File err = Files.createTempFile("tcplens-syn", ".err").toFile();
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

    private record Result(int exit, String out) {}

    private static void must(String... cmd) throws Exception {
        Result r = run(cmd);
        assertEquals(0, r.exit, String.join(" ", cmd) + ": " + r.out);
    }

    private static Result run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
