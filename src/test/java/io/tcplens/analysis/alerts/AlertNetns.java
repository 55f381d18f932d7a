package io.tcplens.analysis.alerts;

import io.tcplens.testutil.PrivateNetns;
import java.io.IOException;

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

    private final PrivateNetns ns;
    private final PrivateNetns.Worker child;

    AlertNetns() throws IOException, InterruptedException {
        ns = PrivateNetns.create("al");
        try {
            ns.sysctl("net.ipv4.ip_local_port_range=40000 40019");
            child = ns.python(SCRIPT);
            if (!"ready".equals(child.readLine())) throw new IOException("the socket holder did not start");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    String name() {
        return ns.name();
    }

    long pid() {
        return child.pid();
    }

    void send(String command) throws IOException {
        child.send(command);
        String answer = child.readLine();
        if (!"ok".equals(answer)) throw new IOException("'" + command + "' answered " + answer);
    }

    @Override
    public void close() {
        ns.close();
    }
}
