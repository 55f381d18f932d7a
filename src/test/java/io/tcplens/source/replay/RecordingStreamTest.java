package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.testutil.Rows;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * The recorder and the incident buffer write each record straight to a JSON generator; the text must
 * be what the record's tree gives (built here from the codec's tree form of a row, {@link
 * RecordingCodec#socket}, which saving an incident's keyframes uses): keyframe and diff, with zones,
 * shared-socket owners, a cookie, timers, warnings and another source.
 */
class RecordingStreamTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.LIVE, "netlink", "test");

    @Test
    void streamedRecordsAreTheTreesText() throws Exception {
        InetAddress ll = InetAddress.ofLiteral("fe80::1");
        ConnectionKey zoned = new ConnectionKey(new Endpoint(ll, 22, 3, "veth0"), new Endpoint(InetAddress.ofLiteral("fe80::2"), 50000, 3, null));
        SocketEntry shared = new SocketEntry(zoned, TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 10, 20, TimerKind.KEEPALIVE,
                7200L, 1, 1000, 555, 42, "sshd \"x\"", false, false, 0xfeedface_12345678L, null);
        SocketEntry tw = Rows.row(40000, 80, TcpState.TIME_WAIT, null, 59_000L);
        SocketEntry plain = Rows.row(40001, 80, TcpState.ESTABLISHED, 7, null);
        SocketHolders holders = SocketHolders.of(Map.of(555L, List.of(new SocketHolders.Holder(42, "sshd \"x\""),
                new SocketHolders.Holder(43, null))));
        Snapshot s = new Snapshot(1_700_000_000_123L, List.of(shared, tw, plain), SRC, List.of("a warning", "ünïcode"), holders);
        SourceInfo other = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "other");

        // a keyframe with a member offset and another source
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("t", s.timestampMillis());
        tree.put("z", 1234L);
        table(tree, s, null);
        tree.set("src", RecordingCodec.source(other));
        assertEquals(text(tree), streamed(s, null, 1234L, other));

        // a diff with rows put and 4-tuples deleted (one with zones)
        TableDiff.Changes c = new TableDiff.Changes(List.of(tw, shared), List.of(plain.key(), zoned));
        tree = JsonNodeFactory.instance.objectNode();
        tree.put("t", s.timestampMillis());
        table(tree, s, c);
        assertEquals(text(tree), streamed(s, c, -1, null));
    }

    /**
     * IPv4 addresses and cookies are written from their numbers without a String each: the text is
     * still {@link Endpoint#host()}'s and {@link Long#toUnsignedString(long)}'s, for every octet width,
     * the extremes and IPv6 beside them.
     */
    @Test
    void addressesAndCookiesWrittenFromTheirNumbersAreTheTreesText() throws Exception {
        Random r = new Random(11);
        List<SocketEntry> rows = new ArrayList<>();
        long[] cookies = {0, 1, 9, 10, 99, 100, Long.MAX_VALUE, -1, Long.MIN_VALUE, 0x8000_0000_0000_0001L};
        int[] fixed = {0, 0xffff_ffff, 0x7f00_0001, 0x0a00_0009, 0x6463_0a01, 0x0909_6465};
        for (int i = 0; i < 2_000; i++) {
            int a = i < fixed.length ? fixed[i] : r.nextInt();
            byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
            InetAddress local = InetAddress.getByAddress(b);
            InetAddress remote = i % 7 == 0 ? InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(i)) : InetAddress.getByAddress(
                    new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt()});
            long cookie = i < cookies.length ? cookies[i] : i % 3 == 0 ? r.nextLong() : r.nextLong() >>> r.nextInt(64);
            rows.add(new SocketEntry(new ConnectionKey(new Endpoint(local, 1 + i), new Endpoint(remote, 80)), TcpState.ESTABLISHED,
                    KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, 100 + i, null, null, false, false,
                    i % 5 == 0 ? SocketEntry.NO_COOKIE : cookie, null));
        }
        Snapshot s = new Snapshot(1_700_000_000_123L, rows, SRC, List.of(), SocketHolders.NONE);
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("t", s.timestampMillis());
        table(tree, s, null);
        assertEquals(text(tree), streamed(s, null, -1, null));
        TableDiff.Changes c = new TableDiff.Changes(rows.subList(0, 500), rows.subList(500, 1_000).stream().map(SocketEntry::key).toList());
        tree = JsonNodeFactory.instance.objectNode();
        tree.put("t", s.timestampMillis());
        table(tree, s, c);
        assertEquals(text(tree), streamed(s, c, -1, null));
    }

    /**
     * The reference: a record's table and warnings as a tree, the whole table ("full") when {@code
     * changes} is null, else what changed ("put" and "del"); timers as due times at the snapshot's time.
     */
    private static void table(ObjectNode rec, Snapshot s, TableDiff.Changes changes) {
        long t = s.timestampMillis();
        if (changes == null) {
            ArrayNode full = rec.putArray("full");
            for (SocketEntry e : s.sockets()) full.add(RecordingCodec.socket(e, t, s.holders().of(e.inode())));
        } else {
            ArrayNode put = rec.putArray("put");
            for (SocketEntry row : changes.put()) put.add(RecordingCodec.socket(row, t, s.holders().of(row.inode())));
            ArrayNode del = rec.putArray("del");
            for (ConnectionKey k : changes.del()) del.add(RecordingCodec.key(k));
        }
        if (!s.warnings().isEmpty()) {
            ArrayNode w = rec.putArray("w");
            s.warnings().forEach(w::add);
        }
    }

    private static String text(ObjectNode tree) throws Exception {
        return new String(RecordingCodec.MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8);
    }

    private static String streamed(Snapshot s, TableDiff.Changes c, long member, SourceInfo src) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingCodec.writeRecord(out, s, c, member, src, null);
        return out.toString(StandardCharsets.UTF_8);
    }
}
