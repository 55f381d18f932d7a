package io.tcplens.analysis;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split by state is a filter per state over the table, in table order, for every state (ESTABLISHED made when asked). */
class SocketsByStateTest {
    @Test
    void everyStatesRowsInTableOrder() {
        TcpState[] states = TcpState.values();
        Random rnd = new Random(7);
        for (int table = 0; table < 3; table++) {
            List<SocketEntry> rows = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                TcpState s = i % 3 == 0 ? TcpState.ESTABLISHED : states[rnd.nextInt(states.length)];
                rows.add(s == TcpState.LISTEN ? listen("0.0.0.0", 1 + i) : sock("10.0.0.1", 10_000 + i, "10.0.0.2", 80 + table, s, null));
            }
            Snapshot snap = new Snapshot(1_000L * (table + 1), List.copyOf(rows), SOURCE, List.of());
            SocketsByState split = SocketsByState.of(snap);
            assertSame(split, SocketsByState.of(snap), "the same snapshot: not split again");
            int total = 0;
            for (TcpState s : states) {
                List<SocketEntry> want = rows.stream().filter(e -> e.state() == s).toList();
                assertEquals(want, split.get(s), s.name());
                assertSame(split.get(s), split.get(s));
                assertThrows(UnsupportedOperationException.class, () -> split.get(s).add(rows.get(0)));
                total += split.get(s).size();
            }
            assertEquals(rows.size(), total);
        }
    }
}
