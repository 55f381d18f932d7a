package io.tcplens.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link EphemeralRangeExhaustion} starts inside a private network namespace
 * ({@code unshare -n}): brings loopback up, narrows this namespace's {@code ip_local_port_range}, and
 * connects to its own listener without binding until the kernel refuses. One line per fact on
 * stdout: {@code range A B}, {@code ok LOCALPORT}, {@code fail OP MESSAGE}, {@code done N}. Nothing
 * outside the namespace is touched; the namespace goes when the process ends.
 */
public final class EphemeralRangeChild {
    static final int SERVER_PORT = 8080;

    private EphemeralRangeChild() {}

    public static void main(String[] args) throws Exception {
        int start = Integer.parseInt(args[0]), size = Integer.parseInt(args[1]), max = Integer.parseInt(args[2]);
        Process lo = new ProcessBuilder("ip", "link", "set", "lo", "up").redirectErrorStream(true).start();
        if (!lo.waitFor(10, TimeUnit.SECONDS) || lo.exitValue() != 0) {
            System.out.println("fail setup cannot bring loopback up in the namespace: " + new String(lo.getInputStream().readAllBytes()).strip());
            return;
        }
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), start + " " + (start + size - 1));
        } catch (IOException e) {
            System.out.println("fail setup cannot set net.ipv4.ip_local_port_range: " + e.getMessage());
            return;
        }
        // read back what the kernel took (a /proc file: read it as a stream, its size is 0)
        String taken;
        try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            taken = in.readLine();
        }
        System.out.println("range " + (taken == null ? "" : taken.strip().replaceAll("\\s+", " ")));
        InetAddress lo4 = InetAddress.ofLiteral("127.0.0.1");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(lo4, SERVER_PORT), max + 10);
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) accepted.add(server.accept());
                } catch (IOException e) {
                    // closed at the end
                }
            });
            int ok = 0;
            for (int i = 0; i < max; i++) {
                Socket c = new Socket();
                try {
                    c.connect(new InetSocketAddress(lo4, SERVER_PORT), 5000); // no bind(): the kernel picks the port
                    held.add(c);
                    ok++;
                    System.out.println("ok " + c.getLocalPort());
                } catch (IOException e) {
                    c.close();
                    System.out.println("fail connect " + e.getMessage());
                    break;
                }
            }
            System.out.println("done " + ok);
            System.out.flush();
            acceptor.interrupt();
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
