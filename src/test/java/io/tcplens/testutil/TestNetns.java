package io.tcplens.testutil;

import io.tcplens.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made with {@code ip netns add} for one test, with loopback up and a python3
 * child inside that holds real sockets: a listener on 127.0.0.1 and one on ::1, ESTABLISHED pairs,
 * TIME_WAIT sockets (the client closed first) and CLOSE_WAIT/FIN_WAIT2 pairs. Its table is the
 * child's alone; closing kills the child and deletes the namespace.
 */
public final class TestNetns implements AutoCloseable {
    private static final String SCRIPT = """
            import os, resource, socket, sys
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE); resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            n_est, n_tw, n_cw = (int(a) for a in sys.argv[1:4])
            l4 = socket.socket(socket.AF_INET); l4.bind(('127.0.0.1', 8080)); l4.listen(512)
            l6 = socket.socket(socket.AF_INET6); l6.bind(('::1', 8443)); l6.listen(512)
            keep = [l4, l6]
            for i in range(n_est):
                l = l4 if i % 2 == 0 else l6
                c = socket.create_connection(('127.0.0.1', 8080) if l is l4 else ('::1', 8443)); a, _ = l.accept(); keep += [c, a]
            for i in range(n_tw):
                c = socket.create_connection(('127.0.0.1', 8080)); a, _ = l4.accept(); c.close(); a.recv(1); a.close()
            for i in range(n_cw):
                c = socket.create_connection(('127.0.0.1', 8080)); a, _ = l4.accept(); c.close(); keep.append(a)
            print(os.getpid(), flush=True)
            sys.stdin.read()
            """;

    private final String name;
    private final Process child;
    private final int pid;

    public static boolean usable() {
        try {
            if (!Files.isDirectory(Path.of("/proc/self/ns")) || !"root".equals(System.getProperty("user.name"))) return false;
            return run("ip", "netns", "list") == 0 && run("python3", "-c", "pass") == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public TestNetns(int established, int timeWait, int closeWait) throws IOException, InterruptedException {
        name = "tcplens-t-" + UUID.randomUUID().toString().substring(0, 8);
        if (run("ip", "netns", "add", name) != 0) throw new IOException("ip netns add " + name + " failed");
        try {
            if (run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up") != 0)
                throw new IOException("cannot bring lo up in " + name);
            child = new ProcessBuilder("ip", "netns", "exec", name, "python3", "-c", SCRIPT,
                    Integer.toString(established), Integer.toString(timeWait), Integer.toString(closeWait))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            String line = r.readLine();
            if (line == null) throw new IOException("the socket holder in " + name + " did not start");
            pid = Integer.parseInt(line.strip());
        } catch (IOException | RuntimeException e) {
            run("ip", "netns", "del", name);
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The python child that holds the sockets (inside the namespace). */
    public int pid() {
        return pid;
    }

    /**
     * Links the namespace to the host with a veth pair on a random 10.250.x.y/30 and returns the
     * namespace side's address (reachable from the test JVM); deleting the namespace removes the pair.
     */
    public String linkToHost() throws IOException, InterruptedException {
        Random r = new Random();
        for (int attempt = 0; attempt < 5; attempt++) {
            int net = r.nextInt(1 << 14) * 4; // a /30 inside 10.250.0.0/16
            String host = "10.250." + (net >> 8) + "." + ((net & 0xff) + 1);
            String inside = "10.250." + (net >> 8) + "." + ((net & 0xff) + 2);
            String hostIf = "tlh" + name.substring(name.length() - 8), nsIf = "tln" + name.substring(name.length() - 8);
            if (run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf) != 0) continue;
            if (run("ip", "link", "set", nsIf, "netns", name) == 0
                    && run("ip", "addr", "add", host + "/30", "dev", hostIf) == 0
                    && run("ip", "link", "set", hostIf, "up") == 0
                    && run("ip", "netns", "exec", name, "ip", "addr", "add", inside + "/30", "dev", nsIf) == 0
                    && run("ip", "netns", "exec", name, "ip", "link", "set", nsIf, "up") == 0)
                return inside;
            run("ip", "link", "del", hostIf);
        }
        throw new IOException("cannot link namespace " + name + " to the host");
    }

    /** {@code ip netns exec NAME ss -tanoH}. */
    public List<Ss.Row> ss() throws IOException, InterruptedException {
        return Ss.tano(List.of("ip", "netns", "exec", name));
    }

    public static Map<TcpState, Integer> count(List<Ss.Row> rows) {
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (TcpState s : TcpState.values()) m.put(s, 0);
        for (Ss.Row r : rows) m.merge(r.state(), 1, Integer::sum);
        return m;
    }

    @Override
    public void close() {
        child.destroyForcibly();
        try {
            child.waitFor(10, TimeUnit.SECONDS);
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException e) {
            // best effort: a leftover namespace has a recognisable name
        }
    }

    public static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
