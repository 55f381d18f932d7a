package io.tcplens.ui.tiles;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.TcpState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateGroupTest {
    @Test
    void groupsCoverEveryReportedStateOnceAndTotalCountsAll() {
        EnumSet<TcpState> seen = EnumSet.noneOf(TcpState.class);
        for (StateGroup g : StateGroup.values()) {
            if (g == StateGroup.TOTAL) continue;
            for (TcpState s : g.states()) assertTrue(seen.add(s), s + " in two tiles");
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(TcpState.CLOSED)), seen);
        Map<TcpState, Integer> c = new EnumMap<>(TcpState.class);
        c.put(TcpState.FIN_WAIT1, 2);
        c.put(TcpState.FIN_WAIT2, 3);
        c.put(TcpState.ESTABLISHED, 10);
        assertEquals(5, StateGroup.FIN_WAIT.count(c));
        assertEquals(15, StateGroup.TOTAL.count(c));
    }

    @Test
    void thresholds() {
        assertEquals(100, StateGroup.CLOSE_WAIT.defaultThreshold(), "CLOSE_WAIT > 100 suggests a leak");
        assertFalse(StateGroup.exceeds(100, 100));
        assertTrue(StateGroup.exceeds(101, 100));
        assertFalse(StateGroup.exceeds(1_000_000, 0), "0 = never warn");
    }
}
