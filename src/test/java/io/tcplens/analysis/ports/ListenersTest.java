package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The listening ports as bits: every port from 0 to 65535, and one walk per poll without mixing polls up. */
class ListenersTest {
    @Test
    void everyPortIsItsOwnBitAtTheWordEdges() {
        int[] ports = {1, 63, 64, 127, 128, 8080, 32767, 32768, 65535};
        List<SocketEntry> rows = new ArrayList<>();
        for (int p : ports) rows.add(listen("0.0.0.0", p));
        Listeners l = Listeners.of(rows);
        Set<Integer> want = new TreeSet<>();
        for (int p : ports) want.add(p);
        assertEquals(want, new TreeSet<>(l.ports()));
        for (int p : ports) {
            assertTrue(l.listens(p), "port " + p);
            assertTrue(l.isInbound(sock("10.0.0.1", p, "10.0.0.2", 40000, TcpState.ESTABLISHED, null)), "inbound on " + p);
        }
        for (int p : new int[] {0, 2, 62, 65, 126, 129, 8081, 32766, 32769, 65534, -1, 65536}) assertFalse(l.listens(p), "port " + p);
        SocketEntry out = sock("10.0.0.1", 40001, "10.0.0.2", 8080, TcpState.ESTABLISHED, null);
        assertTrue(l.isOutbound(out));
        assertFalse(l.isInbound(out));
        assertFalse(l.isInbound(listen("0.0.0.0", 8080)), "a listener is not a connection");
    }

    @Test
    void aPollIsWalkedOnceAndAnotherPollIsNotTakenForIt() {
        Snapshot a = new Snapshot(1_000, List.of(listen("0.0.0.0", 80)), SOURCE, List.of());
        Snapshot b = new Snapshot(2_000, List.of(listen("0.0.0.0", 443)), SOURCE, List.of());
        Listeners first = Listeners.of(a);
        assertSame(first, Listeners.of(a), "the same poll again: not walked again");
        Listeners other = Listeners.of(b);
        assertTrue(other.listens(443));
        assertFalse(other.listens(80), "another poll's listeners, not the last one's");
        assertTrue(Listeners.of(a).listens(80));
        assertFalse(Listeners.of(a).listens(443));
    }
}
