package io.tcplens.source.linux;

import io.tcplens.testutil.ScaleTable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The netlink parse alone ({@link InetDiagParser}), on dumps the kernel sent, replayed: the same bytes
 * for every build compared, so two builds' parsers are timed on one input without the kernel's
 * {@code recv} (most of a dump) or the machine's load on the table in between.
 *
 * <p>{@code capture N FILE [POLLS]} builds a {@link ScaleTable} of about N sockets (72 % ESTABLISHED
 * pairs in worker processes, the rest TIME_WAIT kept level) and writes POLLS (default 8) successive dumps
 * one second apart, each with and without {@code tcp_info} (idiag_ext INET_DIAG_INFO), as the datagrams
 * the kernel sent. Run it inside a private namespace so the table is the only one:
 * <pre>
 * ip netns add p; ip netns exec p ip link set lo up
 * ip netns exec p java --enable-native-access=ALL-UNNAMED -cp CP io.tcplens.source.linux.ParseReplayBenchmark capture 100000 /tmp/dumps.gz
 * </pre>
 * {@code replay FILE [ROUNDS [REPS]]} parses the dumps in turn, as polls one second apart (the dumps' own order,
 * again from the first after the last), ROUNDS times (default 60) for each of "info" and "no info", REPS times
 * over (default 2: the first is the JIT's warm-up more than a measure), and prints
 * the parsing thread's CPU time per poll (p50, p90, min) and per socket (p50). With the class path of another build's
 * {@code target/classes} before this one's test classes it times that build's parser on the same bytes.
 */
public final class ParseReplayBenchmark {
    /** The parsing thread's CPU time, not the wall's: the machine this runs on is shared and often loaded. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int REQUEST_LEN = NetlinkSource.REQUEST_LEN;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "capture" -> capture(Integer.parseInt(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 8);
            case "replay" -> replay(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 60, args.length > 3 ? Integer.parseInt(args[3]) : 2);
            default -> throw new IllegalArgumentException("capture N FILE [POLLS] | replay FILE [ROUNDS [REPS]]");
        }
        System.exit(0);
    }

    /** One dump: its datagrams' bytes, in order (both families). */
    private record Dump(List<byte[]> datagrams, int[] seqs) {}

    private static void capture(int n, Path file, int polls) throws Exception {
        try (ScaleTable table = ScaleTable.build(n, new ScaleTable.Options(false, true, 1800, System.err));
             Arena arena = Arena.ofConfined();
             OutputStream os = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
             DataOutputStream out = new DataOutputStream(os)) {
            NetlinkSocket s = NetlinkSocket.open(5000);
            MemorySegment buffer = arena.allocate(NetlinkSource.BUFFER_BYTES, 8);
            MemorySegment request = arena.allocate(REQUEST_LEN, 8);
            MemorySegment callState = NetlinkSocket.allocateCallState(arena);
            int seq = 0;
            out.writeInt(polls);
            for (int i = 0; i < polls; i++) {
                for (int ext : new int[] {NetlinkSource.EXT_INFO, 0}) {
                    out.writeInt(ext);
                    for (int family : new int[] {InetDiagParser.AF_INET, InetDiagParser.AF_INET6}) {
                        seq++;
                        NetlinkSource.fillRequest(request, family, NetlinkSource.TABLE_STATES, seq, ext);
                        s.send(request, REQUEST_LEN, arena);
                        InetDiagParser.Dump d = new InetDiagParser.Dump();
                        InetDiagParser p = new InetDiagParser(NetlinkSource.MAX_SOCKETS);
                        p.startPoll();
                        int count = 0;
                        List<byte[]> grams = new ArrayList<>();
                        while (!d.done) {
                            long len = s.receive(buffer, callState);
                            grams.add(buffer.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
                            p.parse(buffer, len, seq, d);
                        }
                        out.writeInt(seq);
                        out.writeInt(grams.size());
                        for (byte[] g : grams) {
                            out.writeInt(g.length);
                            out.write(g);
                        }
                        count += d.sockets.size();
                        System.err.printf(Locale.ROOT, "poll %d ext %d family %d: %d sockets, %d datagrams%n", i, ext, family, count, grams.size());
                    }
                }
                Thread.sleep(1000);
            }
            s.close();
        }
    }

    private static void replay(Path file, int rounds, int reps) throws Exception {
        List<Dump> info = new ArrayList<>(), plain = new ArrayList<>();
        try (InputStream is = new GZIPInputStream(Files.newInputStream(file), 1 << 16); DataInputStream in = new DataInputStream(is)) {
            int polls = in.readInt();
            for (int i = 0; i < polls; i++) {
                for (int k = 0; k < 2; k++) {
                    int ext = in.readInt();
                    List<byte[]> grams = new ArrayList<>();
                    int[] seqs = new int[2];
                    List<Integer> seqOf = new ArrayList<>();
                    for (int f = 0; f < 2; f++) {
                        seqs[f] = in.readInt();
                        int count = in.readInt();
                        for (int g = 0; g < count; g++) {
                            byte[] b = new byte[in.readInt()];
                            in.readFully(b);
                            grams.add(b);
                            seqOf.add(seqs[f]);
                        }
                    }
                    (ext != 0 ? info : plain).add(new Dump(grams, seqOf.stream().mapToInt(Integer::intValue).toArray()));
                }
            }
        } catch (EOFException e) {
            throw new IOException("truncated capture " + file, e);
        }
        System.out.printf(Locale.ROOT, "%-8s %8s %10s %10s %10s %10s%n", "ext", "sockets", "cpu p50 ms", "cpu p90 ms", "cpu min ms", "ns/socket");
        for (int rep = 0; rep < reps; rep++) {
            time("info", info, rounds);
            time("no info", plain, rounds);
        }
    }

    private static void time(String name, List<Dump> dumps, int rounds) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            // each datagram in native memory, as the receiver's buffers are
            List<MemorySegment[]> native_ = new ArrayList<>();
            for (Dump d : dumps) {
                MemorySegment[] segs = new MemorySegment[d.datagrams().size()];
                for (int g = 0; g < segs.length; g++) {
                    byte[] b = d.datagrams().get(g);
                    segs[g] = arena.allocate(NetlinkSource.BUFFER_BYTES, 8);
                    MemorySegment.copy(b, 0, segs[g], ValueLayout.JAVA_BYTE, 0, b.length);
                }
                native_.add(segs);
            }
            InetDiagParser parser = new InetDiagParser(NetlinkSource.MAX_SOCKETS);
            long now = 1_800_000_000_000L;
            int warm = 10;
            double[] t = new double[rounds];
            int sockets = 0;
            for (int r = -warm; r < rounds; r++) {
                int i = Math.floorMod(r, dumps.size());
                Dump d = dumps.get(i);
                MemorySegment[] segs = native_.get(i);
                now += 1000;
                InetDiagParser.Dump out = new InetDiagParser.Dump(sockets);
                long t0 = CPU.getCurrentThreadCpuTime();
                parser.startPoll(now);
                int seq = -1;
                for (int g = 0; g < segs.length; g++) {
                    if (d.seqs()[g] != seq) {
                        seq = d.seqs()[g];
                        out.done = false;
                    }
                    parser.parse(segs[g], d.datagrams().get(g).length, seq, out);
                }
                parser.endPoll();
                long t1 = CPU.getCurrentThreadCpuTime();
                sockets = out.sockets.size();
                if (r >= 0) t[r] = (t1 - t0) / 1e6;
            }
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%-8s %8d %10.2f %10.2f %10.2f %10.0f%n", name, sockets, t[rounds / 2],
                    t[(int) (rounds * 0.9)], t[0], t[rounds / 2] * 1e6 / sockets);
        }
    }
}
