package io.tcplens.testutil;

import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * Sockets several processes hold (issue 14 item 7): a python3 parent opens a listener on
 * 127.0.0.1 (port 0), an ESTABLISHED pair to it and a CLOSE_WAIT socket (the peer closed), then
 * forks two children that inherit every one of them. The parent never reaps a child, so a killed
 * child stays a zombie (its /proc/PID stays, its descriptors are gone), as a real pre-fork server's
 * ended worker does until it is reaped. Runs under {@code prefix} (e.g. {@code ip netns exec NAME})
 * or on the host; {@link #ss()} reads {@code ss -tanpH} under the same prefix, for these ports only.
 */
public final class ForkedHolders implements AutoCloseable {
    private static final String SCRIPT = """
            import os, socket, sys, time
            l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(16); lp = l.getsockname()[1]
            c = socket.create_connection(('127.0.0.1', lp)); a, _ = l.accept()
            d = socket.create_connection(('127.0.0.1', lp)); e, _ = l.accept(); dp = d.getsockname()[1]; d.close()
            r, w = os.pipe()
            for i in range(2):
                if os.fork() == 0:
                    os.write(1, ('child %d\\n' % os.getpid()).encode()); os.write(w, b'x'); time.sleep(120); os._exit(0)
            n = 0
            while n < 2: n += len(os.read(r, 2))  # each child has said its pid: "ready" comes after both
            os.write(1, ('ready %d %d %d %d\\n' % (os.getpid(), lp, c.getsockname()[1], dp)).encode())
            sys.stdin.read()
            """;
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private final List<String> prefix;
    private final Process process;
    /** The parent and its two children, lowest first. */
    public final TreeSet<Integer> pids = new TreeSet<>();
    public final int parent, listenPort, clientPort, closedPort;

    public ForkedHolders(List<String> prefix) throws IOException {
        this.prefix = List.copyOf(prefix);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("python3", "-c", SCRIPT));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        int[] ready = null;
        while (ready == null) {
            String line = out.readLine();
            if (line == null) {
                close();
                throw new IOException("the python holder ended before it was ready: " + pids);
            }
            String[] f = line.strip().split(" ");
            if (f[0].equals("child")) pids.add(Integer.parseInt(f[1]));
            else if (f[0].equals("ready")) ready = new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])};
        }
        parent = ready[0];
        pids.add(parent);
        listenPort = ready[1];
        clientPort = ready[2];
        closedPort = ready[3];
        if (pids.size() != 3) {
            close();
            throw new IOException("expected a parent and two children: " + pids);
        }
    }

    /** The shared sockets: the listener, both ends of the pair and the CLOSE_WAIT one, by 4-tuple. */
    public Map<String, Predicate<SocketEntry>> sockets() {
        Map<String, Predicate<SocketEntry>> m = new LinkedHashMap<>();
        m.put("listener", e -> e.state() == TcpState.LISTEN && at(e.local(), listenPort) && e.remote().port() == 0);
        m.put("client", e -> e.state() == TcpState.ESTABLISHED && at(e.local(), clientPort) && at(e.remote(), listenPort));
        m.put("accepted", e -> e.state() == TcpState.ESTABLISHED && at(e.local(), listenPort) && at(e.remote(), clientPort));
        m.put("closeWait", e -> e.state() == TcpState.CLOSE_WAIT && at(e.local(), listenPort) && at(e.remote(), closedPort));
        return m;
    }

    /**
     * 127.0.0.1:port exactly: by port alone, another program's socket on 127.0.0.2 or ::1 can share the
     * number (a bind to port 0 on another address may be given it), and on the host other programs churn.
     */
    private static boolean at(Endpoint p, int port) {
        return p.port() == port && p.address().equals(LOOPBACK);
    }

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    /** The same sockets as {@code ss} prints them: "LOCAL PEER" of each. */
    public Map<String, String> ssKeys() {
        return Map.of("listener", "127.0.0.1:" + listenPort + " 0.0.0.0:*",
                "client", "127.0.0.1:" + clientPort + " 127.0.0.1:" + listenPort,
                "accepted", "127.0.0.1:" + listenPort + " 127.0.0.1:" + clientPort,
                "closeWait", "127.0.0.1:" + listenPort + " 127.0.0.1:" + closedPort);
    }

    /** {@code ss -tanpH} of these ports under the prefix: "LOCAL PEER" → the pids it names. */
    public Map<String, TreeSet<Integer>> ss() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ss", "-tanpH", "(", "sport", "=", ":" + listenPort, "or", "dport", "=", ":" + listenPort, ")"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) throw new IOException("ss did not answer");
        Map<String, TreeSet<Integer>> out = new HashMap<>();
        for (String line : text.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 5) continue;
            TreeSet<Integer> s = new TreeSet<>();
            Matcher m = PID.matcher(line);
            while (m.find()) s.add(Integer.parseInt(m.group(1)));
            out.put(f[3] + " " + f[4], s);
        }
        return out;
    }

    /** Waits until {@code ss} names exactly {@code want} for every shared socket (e.g. after a kill). */
    public void awaitSs(TreeSet<Integer> want) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, TreeSet<Integer>> s = ss();
            if (ssKeys().values().stream().allMatch(k -> want.equals(s.get(k)))) return;
            if (System.nanoTime() > deadline) throw new AssertionError("ss never named exactly " + want + ": " + s);
            Thread.sleep(10);
        }
    }

    /**
     * Each shared socket of {@code s} names exactly the processes {@code ss} names for it, lowest pid
     * first, and its row the lowest: every holder through {@link io.tcplens.model.SocketHolders} when
     * several hold it, the row's own pid when one does.
     */
    public void assertHoldersAsSs(Snapshot s, Map<String, TreeSet<Integer>> ss, String what) {
        for (var c : sockets().entrySet()) {
            SocketEntry e = s.sockets().stream().filter(c.getValue()).findFirst()
                    .orElseThrow(() -> new AssertionError(what + ": no " + c.getKey() + " socket in " + s.sockets().size() + " rows"));
            TreeSet<Integer> want = ss.get(ssKeys().get(c.getKey()));
            Assertions.assertNotNull(want, what + ": ss has no " + c.getKey() + ": " + ss);
            List<SocketHolders.Holder> h = s.holders().of(e.inode());
            List<Integer> got = h.isEmpty() ? (e.pid() == null ? List.of() : List.of(e.pid()))
                    : h.stream().map(SocketHolders.Holder::pid).toList();
            Assertions.assertEquals(List.copyOf(want), got, what + ": holders of the " + c.getKey() + " as ss -p: " + e + " " + h);
            Assertions.assertEquals(want.first(), e.pid(), what + ": the " + c.getKey() + "'s row names the lowest pid");
            Assertions.assertEquals(want.size() > 1, !h.isEmpty(), what + ": shared only when several hold it");
            for (var x : h) Assertions.assertEquals("python3", x.name(), h.toString());
        }
    }

    /** SIGKILL one of the holders (a child stays a zombie: the parent does not reap it). */
    public void kill(int pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        pids.remove(pid);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        for (int pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
