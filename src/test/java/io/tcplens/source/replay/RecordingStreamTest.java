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
import java.util.List;
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
