package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /proc parse from bytes ({@link ProcNetTcpParser#read(ProcNetTcpParser.Listing, Path, long, List, List)}, issue 11):
 * the same rows as the line parser, and a line that says what the same 4-tuple's line said at the last listing
 * gives that listing's row again, the same object — only such a line, and only its own row.
 */
class ProcListingTest {
    static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    static final long POLL = 1_800_000_000_000L;

    /** A line as tcp4_seq_show / tcp6 print it (full socket, request socket or TIME_WAIT by the state). */
    record Line(boolean v6, int local, int lport, int remote, int rport, int st, long tx, long rx, int tr, long when,
                int retr, int uid, long inode, int ref) {
        String text(int sl) {
            String la = v6 ? String.format(Locale.ROOT, "0000000000000000FFFF0000%08X", local) : String.format(Locale.ROOT, "%08X", local);
            String ra = v6 ? String.format(Locale.ROOT, "0000000000000000FFFF0000%08X", remote) : String.format(Locale.ROOT, "%08X", remote);
            return String.format(Locale.ROOT, "%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d 0000000000000000 20 4 30 10 -1",
                    sl, la, lport, ra, rport, st, tx, rx, tr, when, retr, uid, 0, inode, ref);
        }

        Line with(long newWhen) {
            return new Line(v6, local, lport, remote, rport, st, tx, rx, tr, newWhen, retr, uid, inode, ref);
        }
    }

    static Line randomLine(Random r, int i) {
        int st = new int[] {1, 1, 1, 6, 6, 10, 3, 8, 4, 5, 9, 11, 2, 7}[r.nextInt(14)];
        int tr = st == 6 ? 3 : r.nextInt(5) == 0 ? 1 + r.nextInt(4) : 0;
        long when = tr == 0 ? 0 : r.nextInt(6000);
        int ref = st == 3 && r.nextBoolean() ? 0 : st == 6 ? 3 : 1 + r.nextInt(2);
        long inode = st == 6 ? 0 : 10_000 + i;
        return new Line(r.nextInt(8) == 0, 0x0100007F + (r.nextInt(4) << 24), 20_000 + r.nextInt(200),
                0x0100007F + (r.nextInt(64) << 16), 1024 + i % 60_000 + r.nextInt(2), st, r.nextInt(3) == 0 ? r.nextInt(5000) : 0,
                r.nextInt(3) == 0 ? r.nextInt(5000) : 0, tr, when, r.nextInt(10) == 0 ? r.nextInt(5) : 0, 1000, inode, ref);
    }

    static String text(List<Line> lines) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < lines.size(); i++) sb.append(lines.get(i).text(i)).append('\n');
        return sb.toString();
    }

    /** What a row says, its timer as the time it is due at the poll. */
    static String said(SocketEntry e) {
        return e.key() + " " + e.state() + " " + e.kernelState() + " " + e.sendQueue() + " " + e.receiveQueue() + " "
                + e.timer() + " " + e.timerDueAt(POLL) + " " + e.retransmits() + " " + e.uid() + " " + e.inode();
    }

    private static List<SocketEntry> parse(ProcNetTcpParser p, ProcNetTcpParser.Listing l, Path file, String text, long poll,
                                           List<String> bad) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        List<SocketEntry> out = new ArrayList<>();
        p.read(l, file, poll, out, bad);
        return out;
    }

    /**
     * Random listings, then the same listing changed as a busy table changes (lines gone, new ones, some moved,
     * timers counting down, a few fields changed): every row says what the line parser says of its line, and a
     * row is the last listing's object exactly when its line says what that listing's line of the 4-tuple said.
     */
    @Property(tries = 60)
    void aListingGivesTheLineParsersRowsAndItsUnchangedRowsAgain(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("tcplens-proc");
        try {
            Path file = dir.resolve("tcp");
            ProcNetTcpParser p = new ProcNetTcpParser(100), lineParser = new ProcNetTcpParser(100);
            ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
            List<Line> first = new ArrayList<>();
            Set<String> tuples = new java.util.HashSet<>();
            for (int i = 0, n = 1 + r.nextInt(3000); i < n; i++) {
                Line x = randomLine(r, i);
                if (tuples.add(x.v6 + ":" + x.local + ":" + x.lport + ":" + x.remote + ":" + x.rport)) first.add(x);
            }
            List<String> bad = new ArrayList<>();
            List<SocketEntry> rows1 = parse(p, l, file, text(first), POLL, bad);
            assertEquals(List.of(), bad);
            assertEquals(first.size(), rows1.size());
            for (int i = 0; i < first.size(); i++)
                assertEquals(said(lineParser.parseLine(first.get(i).text(i)).orElseThrow()), said(rows1.get(i)), first.get(i).text(i));
            Map<Line, SocketEntry> rowOf = new HashMap<>();
            Map<SocketEntry, Boolean> firstRows = new IdentityHashMap<>();
            for (SocketEntry e : rows1) firstRows.put(e, true);
            Map<Line, Line> whenless = new HashMap<>(); // each line by itself without its time left
            for (int i = 0; i < first.size(); i++) {
                rowOf.put(first.get(i), rows1.get(i));
                whenless.put(first.get(i).with(0), first.get(i));
            }

            // the next listing, a second later
            List<Line> second = new ArrayList<>();
            for (Line x : first) {
                int what = r.nextInt(20);
                if (what == 0) continue; // gone
                if (what == 1) { // a field of it changed (a queue)
                    second.add(new Line(x.v6, x.local, x.lport, x.remote, x.rport, x.st, x.tx + 1, x.rx, x.tr, x.when, x.retr, x.uid, x.inode, x.ref));
                } else if (what == 2 && x.tr != 0) { // its timer set again, later
                    second.add(x.with(x.when + 300));
                } else {
                    second.add(x.tr != 0 ? x.with(Math.max(0, x.when - 100)) : x); // a second on, the timers counted down
                }
            }
            for (int i = 0, n = r.nextInt(200); i < n; i++) { // new ones, anywhere
                Line x = randomLine(r, 50_000 + i);
                if (tuples.add(x.v6 + ":" + x.local + ":" + x.lport + ":" + x.remote + ":" + x.rport))
                    second.add(r.nextInt(second.size() + 1), x);
            }
            if (r.nextBoolean() && second.size() > 10) Collections.rotate(second.subList(r.nextInt(second.size() / 2), second.size()), 7);
            List<SocketEntry> rows2 = parse(p, l, file, text(second), POLL + 1000, bad);
            assertEquals(List.of(), bad);
            assertEquals(second.size(), rows2.size());
            int again = 0, unchanged = 0;
            for (int i = 0; i < second.size(); i++) {
                Line x = second.get(i);
                SocketEntry fresh = lineParser.parseLine(x.text(i)).orElseThrow();
                SocketEntry row = rows2.get(i);
                // the line parser's time left is as of the second poll; a due time read again within the tolerance
                // for one timer is that timer's (a TIME_WAIT row given again keeps the due time it was made with)
                assertEquals(said(fresh).replace(" " + fresh.timerDueAt(POLL) + " ", " "), said(row).replace(" " + row.timerDueAt(POLL) + " ", " "), x.text(i));
                if (fresh.timer() != null) {
                    long d = fresh.timerDueAt(POLL + 1000) - row.timerDueAt(POLL + 1000);
                    assertTrue(row.timerDueMillis() == SocketEntry.NO_DUE ? d == 0 : d >= 0 && d <= InetDiagParser.DUE_TOLERANCE_MILLIS,
                            "due " + d + " ms apart: " + x.text(i));
                }
                // the last listing's line of this 4-tuple saying the same but for the time left: its row again when
                // the time is the same, or for a TIME_WAIT row (a due time) names a due time within the tolerance
                Line was = whenless.get(x.with(0));
                boolean expectSame = false;
                if (was != null) {
                    long d = (POLL + 1000 + x.when * 10) - (POLL + was.when * 10);
                    expectSame = x.tr == 0 || (x.st == 6 ? d <= InetDiagParser.DUE_TOLERANCE_MILLIS && d >= -InetDiagParser.LATE_READ_MILLIS
                            : x.when == was.when);
                }
                if (firstRows.containsKey(row)) {
                    // a row given again: only for such a line, and only its own row
                    assertTrue(expectSame, "a changed or new line makes a new row: " + x.text(i));
                    assertSame(rowOf.get(was), row, "an unchanged line gives its own row again: " + x.text(i));
                    again++;
                }
                if (expectSame) unchanged++;
            }
            // (a line moved out of the cursor's reach, alone, may be made again: most are not)
            assertTrue(again >= unchanged - unchanged / 10 - ProcNetTcpParser.MISSES_BEFORE_MAP,
                    "given again " + again + " of " + unchanged + " unchanged lines");
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    @Test
    void aTimeWaitRowStaysTheSameObjectWhileItsTimerCountsDownAndIsNewWhenItIsSetAgain(@TempDir Path dir) throws Exception {
        ProcNetTcpParser p = new ProcNetTcpParser(100);
        ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
        Path file = dir.resolve("tcp");
        String tw = "   0: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:%08X 00000000     0        0 0 3 0000000000000000\n";
        String est = "   1: 0100007F:D432 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1\n";
        List<String> bad = new ArrayList<>();
        List<SocketEntry> a = parse(p, l, file, HEADER + String.format(tw, 6000) + est, POLL, bad);
        assertEquals(POLL + 60_000, a.get(0).timerDueMillis(), "a TIME_WAIT row carries its due time");
        List<SocketEntry> b = parse(p, l, file, HEADER + String.format(tw, 5900) + est, POLL + 1000, bad);
        assertSame(a.get(0), b.get(0), "the timer counted down with the clock: the same row");
        assertSame(a.get(1), b.get(1));
        List<SocketEntry> c = parse(p, l, file, HEADER + est + String.format(tw, 6000), POLL + 2000, bad);
        assertSame(a.get(1), c.get(0), "found again where it moved");
        assertNotSame(a.get(0), c.get(1), "the timer set again (a FIN retransmitted): a new row");
        assertEquals(POLL + 62_000, c.get(1).timerDueMillis());
        List<SocketEntry> d = parse(p, l, file, HEADER + est.replace(" 01 00000000:", " 08 00000000:") + String.format(tw, 5900), POLL + 3000, bad);
        assertEquals(TcpState.CLOSE_WAIT, d.get(0).state(), "a state change: a new row");
        assertSame(c.get(1), d.get(1));
        assertEquals(List.of(), bad);
    }

    @Test
    void aSynRecvLineWhoseReferenceCountBecameZeroIsARequestSocketRow(@TempDir Path dir) throws Exception {
        ProcNetTcpParser p = new ProcNetTcpParser(100);
        ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
        Path file = dir.resolve("tcp");
        String line = "   2: 0100007F:1F90 0100007F:9EB4 03 00000000:00000000 01:00000034 00000000  1000        0 0 %d 00000000277e2f45\n";
        List<String> bad = new ArrayList<>();
        SocketEntry full = parse(p, l, file, HEADER + String.format(line, 1), POLL, bad).get(0);
        assertEquals(KernelTcpState.SYN_RECV, full.kernelState());
        SocketEntry req = parse(p, l, file, HEADER + String.format(line, 0), POLL + 1000, bad).get(0);
        assertEquals(KernelTcpState.NEW_SYN_RECV, req.kernelState());
    }

    @Test
    void malformedLinesOfAListingAreSkippedAndGivenBack(@TempDir Path dir) throws Exception {
        ProcNetTcpParser p = new ProcNetTcpParser(100);
        ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
        String text = ProcNetTcpParserTest.MALFORMED_MIX.substring(0, ProcNetTcpParserTest.MALFORMED_MIX.length() - 1); // (no newline at the end)
        List<String> bad = new ArrayList<>();
        List<SocketEntry> rows = parse(p, l, dir.resolve("tcp"), text, POLL, bad);
        assertEquals(2, rows.size());
        assertEquals(5, bad.size(), bad.toString());
        assertEquals("garbage", bad.get(0));
        // read again, unchanged: the same rows, the same lines refused
        bad.clear();
        List<SocketEntry> again = parse(p, l, dir.resolve("tcp"), text, POLL + 1000, bad);
        assertSame(rows.get(0), again.get(0));
        assertSame(rows.get(1), again.get(1));
        assertEquals(5, bad.size());
    }

    /**
     * A block of the last read's lines gone at once (a burst of TIME_WAIT sockets expiring): the lines after it are
     * found again through the map of the last read's lines, all but the few lines in a row it takes to ask it.
     */
    @Test
    void aBlockOfLinesGoneLeavesTheRestGivenAgain(@TempDir Path dir) throws Exception {
        ProcNetTcpParser p = new ProcNetTcpParser(100);
        ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++)
            lines.add(new Line(false, 0x0100007F, 20_000, 0x0100007F + (i << 16), 1024 + i, 1, 0, 0, 0, 0, 0, 1000, 10_000 + i, 1));
        List<String> bad = new ArrayList<>();
        List<SocketEntry> first = parse(p, l, dir.resolve("tcp"), text(lines), POLL, bad);
        List<Line> rest = new ArrayList<>(lines.subList(0, 500));
        rest.addAll(lines.subList(1500, 3000)); // 1,000 lines gone from the middle
        List<SocketEntry> second = parse(p, l, dir.resolve("tcp"), text(rest), POLL + 1000, bad);
        assertEquals(2000, second.size());
        int again = 0;
        for (int i = 0; i < 2000; i++) if (second.get(i) == first.get(i < 500 ? i : i + 1000)) again++;
        // all but the first few lines after the gap (ProcNetTcpParser.MISSES_BEFORE_MAP - 1 = 3 of them)
        assertTrue(again >= 1997, "given again: " + again);
        assertEquals(again, l.given());
        assertEquals(2000 - again, l.made());
        assertEquals(List.of(), bad);
    }

    /** Lines cut by the chunks the file is read in, and a line longer than a chunk (garbage), each read whole. */
    @Test
    void aListingLargerThanAChunkIsReadLineByLine(@TempDir Path dir) throws Exception {
        ProcNetTcpParser p = new ProcNetTcpParser(100), lineParser = new ProcNetTcpParser(100);
        ProcNetTcpParser.Listing l = new ProcNetTcpParser.Listing();
        List<Line> lines = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 16_000; i++) lines.add(randomLine(r, i)); // ~2.3 MB: lines cut by the 1 MB chunks
        String giant = "x".repeat(ProcNetTcpParser.CHUNK + 1000);
        String text = text(lines.subList(0, 8000)) + giant + "\n" + text(lines.subList(8000, 16_000)).substring(HEADER.length());
        List<String> bad = new ArrayList<>();
        List<SocketEntry> rows = parse(p, l, dir.resolve("tcp"), text, POLL, bad);
        assertEquals(16_000, rows.size());
        assertEquals(List.of(giant), bad);
        for (int i = 0; i < 16_000; i++) {
            Line x = lines.get(i);
            int sl = i < 8000 ? i : i - 8000;
            assertEquals(said(lineParser.parseLine(x.text(sl)).orElseThrow()), said(rows.get(i)), x.text(sl));
        }
    }

    /**
     * The kernel's own file: this test's loopback connections, idle, read twice by the live source — the second
     * poll gives every one of their rows again (the same objects, their owner named), found by 4-tuple among
     * whatever else the machine opens and closes meanwhile.
     */
    @Test
    void theLiveSourceGivesAnIdleConnectionsRowAgain() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets()) {
            List<Socket[]> pairs = new ArrayList<>();
            for (int i = 0; i < 200; i++) pairs.add(lab.established());
            ProcNetSource src = new ProcNetSource(Path.of("/proc"), true);
            Map<ConnectionKey, SocketEntry> first = ours(src.poll(), lab);
            assertEquals(400, first.size(), "both ends of 200 connections");
            Map<ConnectionKey, SocketEntry> second = ours(src.poll(), lab);
            assertEquals(first.keySet(), second.keySet());
            Map<SocketEntry, Boolean> same = new IdentityHashMap<>();
            for (var e : first.entrySet()) if (second.get(e.getKey()) == e.getValue()) same.put(e.getValue(), true);
            assertEquals(400, same.size(), "rows given again as the same objects");
            for (SocketEntry e : second.values()) {
                assertEquals(TcpState.ESTABLISHED, e.state());
                assertEquals(ProcessHandle.current().pid(), e.pid().longValue(), "owned by this JVM");
            }
            assertTrue(src.lastGivenAndMade()[0] >= 400, "given again: " + src.lastGivenAndMade()[0]);
            for (Socket[] pr : pairs) for (Socket s : pr) s.close();
        }
    }

    private static Map<ConnectionKey, SocketEntry> ours(Snapshot s, LoopbackSockets lab) {
        Map<ConnectionKey, SocketEntry> m = new HashMap<>();
        for (SocketEntry e : s.sockets()) if (lab.owns(e) && e.state() == TcpState.ESTABLISHED) m.put(e.key(), e);
        return m;
    }
}
