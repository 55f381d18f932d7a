package io.tcplens.testutil;

import io.tcplens.source.SourceException;
import io.tcplens.source.linux.ProcNetSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A loopback listener whose port no other socket on the host can take while it is open, so that a
 * product filter on that port (the CLI's {@code --port}, a view's port filter) sees only the test's
 * own sockets, even on a machine where other programs churn through ephemeral ports.
 *
 * <p>How: the port is first bound on the dual-stack wildcard ({@code [::]:0}) by a socket that never
 * listens or connects, with SO_REUSEADDR. Binding port 0 only picks a port with no socket on it at
 * all (no listener, connection or TIME_WAIT leftover, on any address), and while that wildcard bind
 * exists the kernel refuses the port to every other bind, explicit or automatic, IPv4 or IPv6
 * (the exception: another SO_REUSEADDR socket binding this exact port number on purpose), and
 * connect() never picks it as an ephemeral port. The real listener then binds the chosen port on
 * the given loopback address (allowed: both sockets set SO_REUSEADDR and the wildcard one does not
 * listen). The wildcard socket accepts no traffic. Both are closed by {@link #close()}. A port that
 * still appears in the kernel's table (say as the remote end of a stale TIME_WAIT) is not taken.
 */
public final class ExclusiveServerSocket extends ServerSocket {
    private final SocketChannel reservation;

    public ExclusiveServerSocket(InetAddress address, int backlog) throws IOException {
        super();
        SocketChannel r = null;
        try {
            r = reserve();
            int port = ((InetSocketAddress) r.getLocalAddress()).getPort();
            setReuseAddress(true);
            bind(new InetSocketAddress(address, port), backlog);
        } catch (IOException | RuntimeException e) {
            if (r != null) r.close();
            super.close();
            throw e;
        }
        this.reservation = r;
    }

    /**
     * A wildcard bind on a port that no row of the kernel's table mentions: not even as the remote
     * port of another program's leftover TIME_WAIT towards a listener that has since closed (such a
     * row does not hold the port, so the kernel could hand it out).
     */
    private static SocketChannel reserve() throws IOException {
        Set<Integer> seen = new HashSet<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            SocketChannel r = SocketChannel.open();
            try {
                r.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                r.bind(new InetSocketAddress(0));
                int port = ((InetSocketAddress) r.getLocalAddress()).getPort();
                if (!mentioned(port)) return r;
                seen.add(port);
            } catch (IOException | RuntimeException e) {
                r.close();
                throw e;
            }
            r.close();
        }
        throw new IOException("every port tried is still in another socket's row: " + seen);
    }

    private static boolean mentioned(int port) throws IOException {
        try {
            return TABLE.poll().sockets().stream().anyMatch(e -> e.local().port() == port || e.remote().port() == port);
        } catch (SourceException e) {
            throw new IOException(e);
        }
    }

    private static final ProcNetSource TABLE = new ProcNetSource(Path.of("/proc"), false);

    public ExclusiveServerSocket(InetAddress address) throws IOException {
        this(address, 50);
    }

    /**
     * Connects {@code count} clients from {@code source} (each on an ephemeral port of that address) to
     * this listener and accepts them; both ends of each connection go to {@code open}, for the test to close.
     */
    public void connectFrom(InetAddress source, int count, List<AutoCloseable> open) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket c = new Socket();
            open.add(c);
            c.bind(new InetSocketAddress(source, 0));
            c.connect(new InetSocketAddress(getInetAddress(), getLocalPort()), 2000);
            open.add(accept());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            reservation.close();
        }
    }
}
