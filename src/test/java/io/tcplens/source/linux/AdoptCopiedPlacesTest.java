package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.IntHashSet;
import io.tcplens.model.SocketEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser's {@link InetDiagParser#adopt(List, List, int[], int)} reads only the places the owners' stage
 * names ({@link SocketOwners#copiedPlaces}): a poll where no owner changed names none, and the rows the
 * parser gives are the last poll's owned rows, the same objects; when an owner changes (a socket passed to
 * another process, an owner that exits), the places it touched are named, and the next poll's rows carry
 * the new owner, not the one before. As NetlinkSource polls: parse, attach, adopt.
 */
class AdoptCopiedPlacesTest {
    private static final int N = 40;

    /** An ESTABLISHED IPv4 socket (no interface: kept for the fast path) with cookie and inode of its own. */
    private static byte[] record(int i) throws Exception {
        byte[] m = InetDiagParserTest.diag(2, 1, 0, 0, "10.0.0.1", 40_000 + i, "10.0.1.1", 80, 0, 0, 0, 1000, inode(i));
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        b.putInt(40, 0); // idiag_if: none
        b.putLong(44, 0x5000L + i); // idiag_cookie
        return m;
    }

    private static int inode(int i) {
        return 9_000 + i;
    }

    private static long[] inodes(int from, int to, int... without) {
        IntHashSet skip = IntHashSet.from(without);
        List<Long> l = new ArrayList<>();
        for (int i = from; i < to; i++) if (!skip.contains(i)) l.add((long) inode(i));
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private final OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
    private final SocketOwners owners = new SocketOwners(new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0),
            pid -> lister.alive(pid));
    private final InetDiagParser parser = new InetDiagParser(10_000);
    private final byte[] datagram;

    AdoptCopiedPlacesTest() throws Exception {
        byte[][] records = new byte[N][];
        for (int i = 0; i < N; i++) records[i] = record(i);
        datagram = InetDiagParserTest.dump(records);
    }

    /** One poll: the parser's rows, the owned rows and how many places the owners' stage named. */
    private record Poll(List<SocketEntry> given, List<SocketEntry> owned, IntHashSet copied) {}

    private Poll poll(long now) throws Exception {
        parser.startPoll(now);
        InetDiagParser.Dump d = InetDiagParserTest.parseWith(parser, datagram);
        parser.endPoll();
        List<SocketEntry> given = List.copyOf(d.sockets);
        List<SocketEntry> owned = owners.attach(d.sockets, now, new ArrayList<>());
        IntArrayList c = owners.copiedPlaces();
        IntHashSet copied = new IntHashSet();
        for (int i = 0; i < c.size(); i++) copied.add(c.get(i));
        parser.adopt(d.sockets, owned, c.buffer, c.size());
        return new Poll(given, List.copyOf(owned), copied);
    }

    @Test
    void onlyTheCopiedPlacesAreAdoptedAndTheirOwnersAreTheNewOnes() throws Exception {
        lister.inodes.put(11, inodes(0, N));
        Poll p1 = poll(1_000);
        assertEquals(N, p1.given.size());
        for (int i = 0; i < N; i++) assertEquals(11, p1.owned.get(i).pid(), "row " + i);
        assertEquals(N, p1.copied.size(), "every row got its owner: a copy at each place");

        // nothing changed: the parser gives the owned rows themselves, and no place is named
        Poll p2 = poll(2_000);
        for (int i = 0; i < N; i++) {
            assertSame(p1.owned.get(i), p2.given.get(i), "row " + i + ": the owned row of the last poll, given again");
            assertSame(p1.owned.get(i), p2.owned.get(i), "row " + i);
        }
        assertEquals(0, p2.copied.size(), "no owner changed: no place to adopt");

        // socket 5 passed to process 22 (found by the timed light scan)
        lister.inodes.put(11, inodes(0, N, 5));
        lister.inodes.put(22, inodes(5, 6));
        Poll p3 = poll(13_000);
        assertEquals(22, p3.owned.get(5).pid());
        assertEquals("p22", p3.owned.get(5).process());
        assertTrue(p3.copied.contains(5), "the place whose owner changed is named: " + p3.copied);
        assertTrue(p3.copied.size() < N, "only the places touched: " + p3.copied);
        for (int i = 0; i < N; i++) if (i != 5) assertSame(p2.owned.get(i), p3.owned.get(i), "row " + i);

        // the next poll's rows carry the new owner (the adopted copy), every other row as it was
        Poll p4 = poll(14_000);
        assertEquals(22, p4.given.get(5).pid(), "the parser gives the row with its new owner, not the one before");
        for (int i = 0; i < N; i++) assertSame(p3.owned.get(i), p4.given.get(i), "row " + i);
        assertEquals(0, p4.copied.size());

        // process 11 exits: its sockets have no owner now, and the parser's next rows say so too
        lister.inodes.remove(11);
        Poll p5 = poll(15_000);
        for (int i = 0; i < N; i++) if (i != 5) assertNull(p5.owned.get(i).pid(), "row " + i);
        Poll p6 = poll(16_000);
        for (int i = 0; i < N; i++) {
            assertSame(p5.owned.get(i), p6.given.get(i), "row " + i);
            if (i != 5) assertNull(p6.given.get(i).pid(), "row " + i + ": not the owner that exited");
        }
        assertEquals(22, p6.given.get(5).pid());
        assertEquals(0, p6.copied.size());
    }
}
