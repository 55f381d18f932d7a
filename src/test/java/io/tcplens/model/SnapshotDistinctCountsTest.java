package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.analysis.StateCounts;
import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code counts} prints from a one-shot poll: each 4-tuple once (the later row wins), counted per state. */
class SnapshotDistinctCountsTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    @Test
    void aSocketListedTwiceCountsOnceInItsLaterState() {
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) rows.add(Rows.row(10_000 + i, 80, TcpState.ESTABLISHED, 7, null));
        for (int i = 0; i < 1000; i++) rows.add(Rows.row(20_000 + i, 80, TcpState.TIME_WAIT, null, 30_000L));
        // a dump read while the table changes lists two sockets again, in the state they moved to
        rows.add(Rows.row(10_005, 80, TcpState.FIN_WAIT1, 7, null));
        rows.add(Rows.row(20_007, 80, TcpState.TIME_WAIT, null, 29_000L));
        Snapshot s = new Snapshot(1000, rows, SRC, List.of());

        List<SocketEntry> distinct = s.distinctSockets();
        assertEquals(4000, distinct.size());
        assertSame(rows.get(4000), distinct.stream().filter(e -> e.local().port() == 10_005).findFirst().orElseThrow(),
                "the later row of a 4-tuple listed twice");
        assertEquals(rows.get(4), distinct.get(4), "the others in their order");

        Map<TcpState, Integer> counts = StateCounts.count(distinct, e -> true);
        assertEquals(List.of(TcpState.FIN_WAIT1, TcpState.TIME_WAIT, TcpState.ESTABLISHED), List.copyOf(counts.keySet()),
                "ascending by count, states with none left out");
        assertEquals(List.of(1, 1000, 2999), List.copyOf(counts.values()));
        assertEquals(Map.of(TcpState.TIME_WAIT, 1), StateCounts.count(distinct, StateCounts.port(20_500)));
        assertEquals(4000, StateCounts.count(distinct, StateCounts.port(80)).values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void noDuplicateGivesTheSameList() {
        List<SocketEntry> rows = List.of(Rows.row(1, 80, TcpState.ESTABLISHED, 7, null), Rows.row(2, 80, TcpState.LISTEN, 7, null));
        Snapshot s = new Snapshot(1000, rows, SRC, List.of());
        assertSame(rows, s.distinctSockets());
    }
}
