package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.cli.SnapshotCommandAccess;
import io.tcplens.export.SocketJson;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.tcplens.ui.table.ConnectionRow;

/**
 * Issue 14 item 7: a socket several processes hold is shown with all of them, as {@code ss -p} shows
 * it, not with whichever was read first. Two real cases: a pre-fork server (python3 listens, then
 * forks two workers: three processes hold the listener) and a connection inherited by two children
 * (bash opens it with {@code /dev/tcp} and starts two {@code sleep}s on it). Each socket is found by
 * its full 4-tuple; both Linux sources are checked against {@code ss -tanpH} of that 4-tuple.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedOwnersTest {
    private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");

    @Test
    void everyHolderIsListedLowestPidFirstAsSsDoes() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Process server = null, conn = null;
        List<Process> all = new ArrayList<>();
        try (ServerSocket peer = new ServerSocket()) {
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // a pre-fork server: the listener is made, then two workers are forked; each says it is up
            server = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import os, socket, sys, time",
                    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(16)",
                    "for i in range(2):",
                    "    if os.fork() == 0:",
                    // one write(2) per line: the processes share the pipe, and print() may write in pieces
                    "        os.write(1, ('worker %d\\n' % os.getpid()).encode()); time.sleep(40); os._exit(0)",
                    "time.sleep(0.2); os.write(1, ('port %d\\n' % s.getsockname()[1]).encode()); time.sleep(40)")).start();
            all.add(server);
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            TreeSet<Integer> workers = new TreeSet<>(List.of((int) server.pid()));
            int listenPort = -1;
            List<String> said = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String line = out.readLine();
                said.add(line);
                String[] l = line.split(" ");
                if (l[0].equals("worker")) workers.add(Integer.parseInt(l[1]));
                else listenPort = Integer.parseInt(l[1]);
            }
            assertEquals(3, workers.size(), "the master and two workers: " + workers + " " + said);
            // a connection opened by bash and inherited by two children; bash keeps it too
            conn = new ProcessBuilder("/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + peer.getLocalPort()
                    + "; sleep 40 <&3 & sleep 40 <&3 & echo up; read line").start();
            all.add(conn);
            assertEquals("up", new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            try (Socket accepted = peer.accept()) {
                int clientPort = accepted.getPort();
                int lp = listenPort;
                Predicate<SocketEntry> listener = e -> e.state() == TcpState.LISTEN && e.local().port() == lp
                        && e.local().address().isLoopbackAddress();
                Predicate<SocketEntry> client = e -> e.state() == TcpState.ESTABLISHED && e.local().port() == clientPort
                        && e.remote().port() == peer.getLocalPort() && e.local().address().isLoopbackAddress();
                TreeSet<Integer> ssListener = ssPids("sport = :" + lp, "listening");
                TreeSet<Integer> ssClient = ssPids("sport = :" + clientPort + " and dport = :" + peer.getLocalPort(), "established");
                assertEquals(workers, ssListener, "ss -p of the pre-fork listener");
                assertEquals(3, ssClient.size(), "ss -p of the inherited connection (bash and two sleeps): " + ssClient);
                for (SocketTableSource src : List.<SocketTableSource>of(new ProcNetSource(Path.of("/proc"), true), new NetlinkSource(Path.of("/proc"), true))) {
                    Snapshot s = src.poll();
                    for (var c : List.of(new Object[] {listener, ssListener, "python3"}, new Object[] {client, ssClient, null})) {
                        @SuppressWarnings("unchecked") Predicate<SocketEntry> p = (Predicate<SocketEntry>) c[0];
                        @SuppressWarnings("unchecked") TreeSet<Integer> want = (TreeSet<Integer>) c[1];
                        SocketEntry e = s.sockets().stream().filter(p).findFirst().orElseThrow();
                        List<SocketHolders.Holder> h = s.holders().of(e.inode());
                        List<Integer> pids = h.stream().map(SocketHolders.Holder::pid).toList();
                        assertEquals(List.copyOf(want), pids, src.info().name() + ": every holder, lowest pid first, as ss: " + e + " " + h);
                        assertEquals(want.first(), e.pid(), src.info().name() + ": the row names the lowest pid, not an arbitrary one: " + e);
                        if (c[2] != null) assertTrue(h.stream().allMatch(x -> "python3".equals(x.name())), h.toString());
                        var json = SocketJson.toJson(e, s.holders());
                        assertEquals(want.size(), json.get("owners").size(), json.toString());
                        assertEquals(want.first(), json.get("owners").get(0).get("pid").asInt(), json.toString());
                    }
                    SocketEntry l = s.sockets().stream().filter(listener).findFirst().orElseThrow();
                    String shown = new ConnectionRow(l, ConnectionRow.Status.NORMAL, 0, 0,
                            false, s.holders().of(l.inode())).processText();
                    assertEquals("python3 (" + String.join(", ", workers.stream().map(String::valueOf).toList()) + ")", shown);
                    String table = SnapshotCommandAccess.table(List.of(l), s.holders());
                    assertTrue(table.contains(String.join(",", workers.stream().map(w -> "python3/" + w).toList())), table);
                }
                // a worker ends (a zombie until the master reaps it, which it never does here): the next poll of a
                // running source no longer names it, without waiting for its 10 s rescan
                ProcNetSource running = new ProcNetSource(Path.of("/proc"), true);
                SocketEntry first = running.poll().sockets().stream().filter(listener).findFirst().orElseThrow();
                int gone = workers.last();
                ProcessHandle.of(gone).orElseThrow().destroyForcibly();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!ssPids("sport = :" + lp, "listening").equals(new TreeSet<>(workers.headSet(gone)))) {
                    assertTrue(System.nanoTime() < deadline, "ss still names the ended worker");
                    Thread.sleep(10);
                }
                Snapshot after = running.poll();
                SocketEntry l = after.sockets().stream().filter(listener).findFirst().orElseThrow();
                assertEquals(first.inode(), l.inode());
                assertEquals(List.copyOf(workers.headSet(gone)), after.holders().of(l.inode()).stream().map(SocketHolders.Holder::pid).toList(),
                        "the ended worker is not named");
            }
        } finally {
            for (Process p : all) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** The pids {@code ss -tanpH} names for the sockets matching {@code filter} in {@code state}. */
    private static TreeSet<Integer> ssPids(String filter, String state) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ss", "-tnpH", "state", state));
        cmd.addAll(List.of(filter.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        TreeSet<Integer> pids = new TreeSet<>();
        for (String line : out.lines().filter(l -> l.contains("127.0.0.1")).toList()) {
            Matcher m = SS_PID.matcher(line);
            while (m.find()) pids.add(Integer.parseInt(m.group(1)));
        }
        return pids;
    }
}
