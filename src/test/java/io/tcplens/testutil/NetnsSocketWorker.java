package io.tcplens.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds sockets for a test inside a network namespace (started with {@code ip netns exec NS java …}).
 * Each argument is one command, run in order; then it prints {@code READY} and keeps every socket
 * open until its stdin closes (the test ends or dies), or 120 s pass.
 * <ul>
 * <li>{@code listen,ADDR,PORT,BACKLOG} — a listener (ADDR may carry a zone, e.g. {@code fe80::77%va0}; {@code ::} is dual-stack)</li>
 * <li>{@code listenclose,ADDR,PORT,BACKLOG} — a listener whose connections close once their client closed</li>
 * <li>{@code bind,ADDR,PORT} — a socket bound, never listening or connected</li>
 * <li>{@code connect,LOCALADDR,LOCALPORT,ADDR,PORT} — a blocking connect from a fixed local address and port</li>
 * <li>{@code open,ADDR,PORT} — a plain connect (the kernel picks the local port), held open</li>
 * <li>{@code syn,ADDR,PORT} — a non-blocking connect that is not waited for (the handshake may hang)</li>
 * <li>{@code timewait,ADDR,PORT} — connect to a listener of this worker, accept, close the client first,
 *     then the server end: the client's 4-tuple goes to TIME_WAIT</li>
 * </ul>
 * After READY, a line {@code exhaust,ADDR,PORT} on stdin connects (plain connect()) until one fails,
 * holding every connection, and prints {@code CONNECTED n ERROR message}; {@code churn,ADDR,PORT,N,MS}
 * opens and closes (client first) N connections, one every MS ms at most (a late one is not made up for; N 0: until another line arrives on stdin, which is
 * then read as the next command), and prints {@code CHURNED n IN ms ERROR message};
 * {@code syns,ADDR,PORT,N} starts N non-blocking connects (held, never waited for) and prints {@code SYNS n}.
 * Fields are separated by commas, so IPv6 text needs no brackets.
 */
public final class NetnsSocketWorker {
    private NetnsSocketWorker() {}

    public static void main(String[] args) throws Exception {
        List<AutoCloseable> held = new ArrayList<>();
        List<ServerSocket> listeners = new ArrayList<>();
        Set<ServerSocket> closing = Collections.synchronizedSet(new HashSet<>());
        for (String a : args) {
            String[] all = a.split(",");
            String verb = all[0];
            String[] f = Arrays.copyOfRange(all, 1, all.length);
            switch (verb) {
                case "listen" -> {
                    ServerSocket s = new ServerSocket();
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])), Integer.parseInt(f[2]));
                    held.add(s);
                    listeners.add(s);
                }
                case "listenclose" -> { // a server that closes each connection once the client has closed
                    ServerSocket sv = new ServerSocket();
                    sv.setReuseAddress(true);
                    sv.bind(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])), Integer.parseInt(f[2]));
                    held.add(sv);
                    listeners.add(sv);
                    closing.add(sv);
                }
                case "bind" -> {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])));
                    held.add(s);
                }
                case "connect" -> {
                    Socket s = new Socket();
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])));
                    s.connect(new InetSocketAddress(InetAddress.getByName(f[2]), Integer.parseInt(f[3])), 10_000);
                    held.add(s);
                }
                case "open" -> { // connect() alone: the kernel picks the port (no bind() bucket)
                    Socket sk = new Socket();
                    sk.connect(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])), 10_000);
                    held.add(sk);
                }
                case "syn" -> {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1])));
                    held.add(ch);
                }
                case "timewait" -> {
                    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(f[0]), Integer.parseInt(f[1]));
                    ServerSocket l = listeners.stream().filter(s -> s.getLocalPort() == to.getPort()).findFirst().orElseThrow();
                    Socket client = new Socket();
                    client.setOption(StandardSocketOptions.SO_LINGER, -1);
                    client.connect(to, 10_000);
                    Socket server = l.accept();
                    client.close();
                    server.getInputStream().read(); // EOF: the client's FIN arrived
                    server.close();
                }
                default -> throw new IllegalArgumentException("unknown command " + a);
            }
        }
        // accept whatever completes on the listeners, so ESTABLISHED children are held too
        for (ServerSocket l : listeners) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket a = l.accept();
                        if (!closing.contains(l)) {
                            held.add(a);
                            continue;
                        }
                        Thread r = new Thread(() -> {
                            try (a) {
                                while (a.getInputStream().read() >= 0) { }
                            } catch (Exception e) {
                                // gone
                            }
                        });
                        r.setDaemon(true);
                        r.start();
                    }
                } catch (Exception e) {
                    // closed at exit
                }
            });
            t.setDaemon(true);
            t.start();
        }
        OutputStream out = System.out;
        out.write("READY\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread exit = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(2);
        });
        exit.setDaemon(true);
        exit.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("churn,")) { // churn,ADDR,PORT,N,INTERVAL_MS: connect, close first, at most at this pace
                    String[] f = line.split(",");
                    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(f[1]), Integer.parseInt(f[2]));
                    int n = Integer.parseInt(f[3]);
                    long interval = Long.parseLong(f[4]);
                    long start = System.nanoTime();
                    int done = 0;
                    String error = "none";
                    long due = start;
                    for (int i = 0; n == 0 ? !in.ready() : i < n; i++) { // N 0: until the next line arrives
                        long wait = due - System.nanoTime();
                        if (wait > 0) Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        // at least MS between two connects: a late one is not made up for by a burst, which on a
                        // loaded machine took more ports than a small range had free (EADDRNOTAVAIL)
                        due = System.nanoTime() + interval * 1_000_000L;
                        try (Socket sk = new Socket()) {
                            sk.connect(to, 10_000);
                            done++;
                        } catch (IOException e) {
                            error = e.getMessage();
                        }
                    }
                    long ms = (System.nanoTime() - start) / 1_000_000L;
                    out.write(("CHURNED " + done + " IN " + ms + " ERROR " + error + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (line.startsWith("syns,")) { // syns,ADDR,PORT,N: N handshakes started and held, never waited for
                    String[] f = line.split(",");
                    InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(f[1]), Integer.parseInt(f[2]));
                    int n = Integer.parseInt(f[3]);
                    for (int i = 0; i < n; i++) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(to);
                        held.add(ch);
                    }
                    out.write(("SYNS " + n + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                if (!line.startsWith("exhaust,")) continue;
                String[] f = line.split(",");
                InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(f[1]), Integer.parseInt(f[2]));
                int n = 0;
                String error = "none";
                for (; n < 70_000; n++) {
                    Socket sk = new Socket();
                    try {
                        sk.connect(to, 10_000);
                    } catch (IOException e) {
                        error = e.getMessage();
                        sk.close();
                        break;
                    }
                    held.add(sk);
                }
                out.write(("CONNECTED " + n + " ERROR " + error + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        System.exit(0);
    }

}
