package io.tcplens.export.prometheus;

import io.tcplens.testutil.LoopbackSockets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Run inside a private network namespace ({@code unshare -n}) by {@link ServePrometheusTest}: opens
 * the test's sockets there, on command, so that the namespace's table holds them and nothing else.
 * Commands on stdin, one answer line on stdout each:
 * <ul>
 *   <li>{@code states} — 4 ESTABLISHED pairs and 3 CLOSE_WAIT/FIN_WAIT2 pairs to listener A, then 30
 *       connections to listener B closed client first (30 TIME_WAIT towards B): "ok PORT_A PORT_B CONNECTS"</li>
 *   <li>{@code destinations N} — N clients, each from its own address 127.1.x.y, to listener C: "ok PORT_C CONNECTS"</li>
 *   <li>{@code ss} — {@code ss -tanH} of the namespace, as one line with rows joined by '|'</li>
 * </ul>
 */
public final class NetnsSockets {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<AutoCloseable> open = new ArrayList<>();
        out.println("ready");
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] cmd = line.trim().split(" ");
                switch (cmd[0]) {
                    case "states" -> {
                        LoopbackSockets a = new LoopbackSockets(), b = new LoopbackSockets();
                        open.add(a);
                        open.add(b);
                        for (int i = 0; i < 4; i++) a.established();
                        for (int i = 0; i < 3; i++) a.closeWait();
                        for (int i = 0; i < 30; i++) b.timeWait();
                        out.println("ok " + a.port() + " " + b.port() + " " + (4 + 3 + 30));
                    }
                    case "destinations" -> {
                        int n = Integer.parseInt(cmd[1]);
                        LoopbackSockets c = new LoopbackSockets();
                        open.add(c);
                        for (int i = 0; i < n; i++) {
                            Socket s = new Socket();
                            open.add(s);
                            s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 200), (byte) (i % 200 + 1)}), 0));
                            s.connect(new InetSocketAddress(c.address, c.port()), 2000);
                            open.add(c.server.accept());
                        }
                        out.println("ok " + c.port() + " " + n);
                    }
                    case "ss" -> {
                        Process p = new ProcessBuilder("ss", "-tanH").start();
                        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        p.waitFor();
                        out.println(String.join("|", text.strip().split("\n")));
                    }
                    default -> out.println("error unknown command " + line);
                }
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        }
    }
}
