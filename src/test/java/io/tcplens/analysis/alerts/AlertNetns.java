package io.tcplens.analysis.alerts;

import io.tcplens.testutil.TestNetns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace (loopback up, ephemeral range 40000–40019) with a python3 child that
 * makes sockets on command: {@code cw N} N CLOSE_WAIT sockets (the client closes first, the server end
 * is kept), {@code release} closes every server end, {@code open N} N held client connections to its
 * second listener (port 8081, so the TIME_WAIT the others leave takes none of its ports), {@code drop} closes them. Each command answers {@code ok} when done.
 */
final class AlertNetns implements AutoCloseable {
    private static final String SCRIPT = """
            import socket, sys
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', 8080)); l.listen(512)
            l2 = socket.socket(); l2.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l2.bind(('127.0.0.1', 8081)); l2.listen(512)
            cw, held = [], []
            print('ready', flush=True)
            for line in sys.stdin:
                f = line.split()
                if f[0] == 'cw':
                    for i in range(int(f[1])):
                        c = socket.create_connection(('127.0.0.1', 8080)); a, _ = l.accept(); c.close(); cw.append(a)
                elif f[0] == 'release':
                    for a in cw: a.close()
                    cw = []
                elif f[0] == 'open':
                    for i in range(int(f[1])):
                        c = socket.create_connection(('127.0.0.1', 8081)); a, _ = l2.accept(); held += [a, c]  # the server end closes first: no client TIME_WAIT
                elif f[0] == 'drop':
                    for s in held: s.close()
                    held = []
                print('ok', flush=True)
            """;

    private final String name = "tcplens-al-" + UUID.randomUUID().toString().substring(0, 8);
    private final Process child;
    private final BufferedReader in;
    private final OutputStream out;

    AlertNetns() throws IOException, InterruptedException {
        if (TestNetns.run("ip", "netns", "add", name) != 0) throw new IOException("ip netns add failed");
        try {
            if (TestNetns.run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up") != 0
                    || TestNetns.run("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40019") != 0)
                throw new IOException("cannot set up " + name);
            child = new ProcessBuilder("ip", "netns", "exec", name, "python3", "-c", SCRIPT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            out = child.getOutputStream();
            if (!"ready".equals(in.readLine())) throw new IOException("the socket holder did not start");
        } catch (IOException | RuntimeException e) {
            TestNetns.run("ip", "netns", "del", name);
            throw e;
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return child.pid();
    }

    void send(String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = in.readLine();
        if (!"ok".equals(answer)) throw new IOException("'" + command + "' answered " + answer);
    }

    @Override
    public void close() {
        child.destroyForcibly();
        try {
            child.waitFor(10, TimeUnit.SECONDS);
            TestNetns.run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException e) {
            // best effort: a leftover namespace has a recognisable name
        }
    }
}
