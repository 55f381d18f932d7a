package io.tcplens.source.replay;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TimeWaitDuration;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Size and speed of .tcplens recordings: a busy table (N sockets, ~2% churn per poll, TIME_WAIT timers
 * counting down) recorded for P polls, then read back and sought at random.
 * Run: mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dtcplens.main=io.tcplens.source.replay.RecordingBenchmark
 * (arguments via -Dtcplens.args="SOCKETS POLLS", default 10000 300).
 */
public final class RecordingBenchmark {
    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        SourceInfo src = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "benchmark");
        Path dir = Files.createTempDirectory("tcplens-bench");
        Path file = dir.resolve("bench.tcplens");
        List<Snapshot> snaps = generate(sockets, polls, src);

        long t0 = System.nanoTime();
        try (RecordingWriter w = new RecordingWriter(file, src, TimeWaitDuration.LINUX)) {
            for (Snapshot s : snaps) w.append(s);
        }
        long writeNs = System.nanoTime() - t0;
        long size = Files.size(file);

        t0 = System.nanoTime();
        Recording r = RecordingReader.read(file);
        long readNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        for (int i = 0; i < r.size(); i++) r.snapshot(i);
        long sequentialNs = System.nanoTime() - t0;

        Random rnd = new Random(1);
        int seeks = 50;
        t0 = System.nanoTime();
        for (int i = 0; i < seeks; i++) r.snapshot(rnd.nextInt(r.size()));
        long seekNs = System.nanoTime() - t0;

        long rawJsonEstimate = (long) sockets * polls * 120; // ~120 bytes per socket row as plain JSON
        System.out.printf(Locale.ROOT, "sockets per table:      %d%n", sockets);
        System.out.printf(Locale.ROOT, "polls recorded:         %d (keyframe every %d)%n", polls, RecordingWriter.DEFAULT_KEYFRAME_EVERY);
        System.out.printf(Locale.ROOT, "file size:              %.2f MB (%.1f KB per poll, %.2f bytes per socket-poll; full JSON tables would be ~%.0f MB)%n",
                size / 1e6, size / 1024.0 / polls, size / (double) sockets / polls, rawJsonEstimate / 1e6);
        System.out.printf(Locale.ROOT, "write (append+flush):   %.2f ms per poll%n", writeNs / 1e6 / polls);
        System.out.printf(Locale.ROOT, "read whole file:        %.0f ms (%d records)%n", readNs / 1e6, r.size());
        System.out.printf(Locale.ROOT, "play sequentially:      %.2f ms per step%n", sequentialNs / 1e6 / polls);
        System.out.printf(Locale.ROOT, "random seek:            %.2f ms per seek%n", seekNs / 1e6 / seeks);
        Files.delete(file);
        Files.delete(dir);
    }

    static List<Snapshot> generate(int sockets, int polls, SourceInfo src) {
        InetAddress local = InetAddress.ofLiteral("10.0.0.1");
        List<SocketEntry> table = new ArrayList<>();
        int nextPort = 1;
        long t = 1_764_000_000_000L;
        for (int i = 0; i < sockets; i++) table.add(row(local, nextPort++, i, t));
        List<Snapshot> out = new ArrayList<>();
        for (int p = 0; p < polls; p++) {
            long now = t + p * 1000L;
            // ~2% churn: some close, some open, some ESTABLISHED → TIME_WAIT
            for (int k = 0; k < sockets / 50; k++) {
                int i = (p * 7919 + k * 104729) % table.size();
                SocketEntry e = table.get(i);
                if (e.state() == TcpState.ESTABLISHED)
                    table.set(i, new SocketEntry(e.key(), TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT, 0, 0,
                            TimerKind.TIME_WAIT, 60_000L, 0, 0, 0, e.pid(), e.process(), true));
                else table.set(i, row(local, nextPort++ % 60000 + 1, i, now));
            }
            List<SocketEntry> rows = new ArrayList<>(table.size());
            for (int i = 0; i < table.size(); i++) {
                SocketEntry e = table.get(i);
                if (e.timerRemainingMs() == null) rows.add(e);
                else if (e.timerRemainingMs() <= 1000) rows.add(row(local, nextPort++ % 60000 + 1, i, now)); // expired: gone, a new one opens
                else rows.add(new SocketEntry(e.key(), e.state(), e.kernelState(), 0, 0, e.timer(),
                        e.timerRemainingMs() - 1000, 0, 0, 0, e.pid(), e.process(), e.ownerLastKnown())); // counts down with the clock
            }
            table = new ArrayList<>(rows);
            out.add(new Snapshot(now, rows, src, List.of()));
        }
        return out;
    }

    static SocketEntry row(InetAddress local, int port, int i, long t) {
        InetAddress remote = InetAddress.ofLiteral("192.0.2." + (i % 250 + 1));
        return new SocketEntry(new ConnectionKey(new Endpoint(local, 30000 + port % 30000), new Endpoint(remote, 443)),
                TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, 100000L + i, 4000 + i % 20,
                "app" + i % 20, false);
    }
}
