package io.tcplens.source.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process holding {@code args[0]} sockets: loopback pairs (client and accepted end) on a
 * listener of its own, for tests and benchmarks of the fd readers. Prints "ready" when all are open;
 * "close" on stdin closes half of them (printing "closed"); end of stdin exits.
 */
public final class FdHolder {
    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        List<SocketChannel> held = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            // "open" as args[1]: unconnected sockets (an inode each, no port: for benchmarks with many fds)
            if (args.length > 1 && args[1].equals("open")) while (held.size() < n) held.add(SocketChannel.open());
            while (held.size() + 2 <= n) {
                SocketChannel c = SocketChannel.open(server.getLocalAddress());
                held.add(c);
                held.add(server.accept());
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("close")) {
                    for (int i = held.size() - 1; i >= held.size() / 2; i--) held.remove(i).close();
                    System.out.println("closed");
                    System.out.flush();
                }
            }
        }
    }

    /** Starts a holder of {@code sockets} sockets and waits for it to be ready. */
    public static Process start(int sockets) throws IOException {
        return start(sockets, false);
    }

    /** As {@link #start(int)}; {@code unconnected}: sockets opened but not connected (no loopback ports taken). */
    public static Process start(int sockets, boolean unconnected) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), FdHolder.class.getName(), Integer.toString(sockets), unconnected ? "open" : "pairs")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        String line = out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("holder did not start: " + line);
        }
        return p;
    }

    /** Ends a holder and waits for it. */
    public static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
}
