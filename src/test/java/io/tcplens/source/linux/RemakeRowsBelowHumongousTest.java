package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The burst table's remake as the netlink source's stages meet it (issue 11, round 28): a 100k table, then one dump
 * of 128k rows (the old TIME_WAIT sockets and the new ones together), then the 100k table again. The dump's list
 * and the owners' per-row arrays grow to {@link BigMaps#SLOTS_BELOW_HUMONGOUS} places, not by half (150k–160k,
 * each then a humongous G1 region or two, kept after the remake); a dump past that length grows them as before.
 */
class RemakeRowsBelowHumongousTest {
    private static List<SocketEntry> table(int n) throws Exception {
        InetAddress server = InetAddress.getByName("10.0.0.1");
        List<SocketEntry> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ConnectionKey key = new ConnectionKey(new Endpoint(server, 80),
                    new Endpoint(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 16), (byte) (i >> 8)}), 1024 + (i & 0xFF)));
            rows.add(new SocketEntry(key, i % 4 == 0 ? TcpState.TIME_WAIT : TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0,
                    i % 4 == 0 ? 0 : 500_000 + i, null, null, false));
        }
        return rows;
    }

    /** As the netlink source attaches owners: prepared as the dump's parts come (8k rows a part), then attached. */
    private static List<SocketEntry> attach(ProcessResolver r, List<SocketEntry> rows, long now) {
        List<SocketEntry> dump = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += 8_192) {
            dump.addAll(rows.subList(i, Math.min(rows.size(), i + 8_192)));
            r.prepare(dump);
        }
        return r.attach(dump, now).rows();
    }

    @Test
    void theOwnersArraysStopBelowHumongousAtTheRemake() throws Exception {
        OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<SocketEntry> big = table(128_000), small = big.subList(0, 100_000);
        attach(r, small, 1_000);
        int first = r.rowArraysLength();
        assertTrue(first >= 100_000 && first <= BigMaps.SLOTS_BELOW_HUMONGOUS, "a 100k table: " + first);
        attach(r, big, 2_000);
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, r.rowArraysLength(), "the remake's 128k rows");
        attach(r, small, 3_000);
        attach(r, big, 4_000);
        attach(r, small, 5_000);
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, r.rowArraysLength(), "after remakes to and fro");
        assertEquals(128_000, attach(r, big, 6_000).size());
        attach(r, table(140_000), 7_000);
        assertTrue(r.rowArraysLength() >= 140_000, "a longer table: grown past it, " + r.rowArraysLength());
    }

    @Test
    void theDumpsListToo() throws Exception {
        List<SocketEntry> rows = table(140_000);
        InetDiagParser.Rows list = new InetDiagParser.Rows(new SocketEntry[106_250]);
        for (int i = 0; i < 128_000; i++) list.add(rows.get(i));
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, list.capacity(), "106k grown for 128k rows");
        for (int i = 128_000; i < 140_000; i++) list.add(rows.get(i));
        assertEquals(140_000, list.size());
        assertTrue(list.capacity() >= 140_000);
        for (int i = 0; i < 140_000; i++) assertEquals(rows.get(i), list.get(i));
    }
}
