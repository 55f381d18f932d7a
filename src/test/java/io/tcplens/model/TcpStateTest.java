package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TcpStateTest {
    @Test
    void everyRfcEdgeOfFigure5IsPresentWithItsLabel() {
        assertEquals(20, TcpState.edges().size());
        assertEquals("rcv FIN / snd ACK", TcpState.ESTABLISHED.edgeTo(TcpState.CLOSE_WAIT).orElseThrow().label());
        assertEquals("rcv SYN / snd SYN,ACK", TcpState.LISTEN.edgeTo(TcpState.SYN_RECV).orElseThrow().label());
        assertEquals("Timeout=2MSL / delete TCB", TcpState.TIME_WAIT.edgeTo(TcpState.CLOSED).orElseThrow().label());
        assertTrue(TcpState.ESTABLISHED.edgeTo(TcpState.TIME_WAIT).isEmpty());
        Set<TcpState> reached = TcpState.edges().stream().flatMap(e -> Stream.of(e.from(), e.to()))
                .collect(Collectors.toSet());
        assertEquals(Set.of(TcpState.values()), reached, "every state is on the diagram");
    }

    @Test
    void shortestPathFollowsLegalEdges() {
        List<TcpState.Edge> p = TcpState.shortestPath(TcpState.ESTABLISHED, TcpState.TIME_WAIT).orElseThrow();
        assertEquals(List.of(TcpState.ESTABLISHED, TcpState.FIN_WAIT1),
                List.of(p.get(0).from(), p.get(0).to()));
        assertEquals(TcpState.TIME_WAIT, p.get(p.size() - 1).to());
        assertEquals(3, p.size(), "ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2|CLOSING → TIME-WAIT");
        for (TcpState a : TcpState.values()) {
            for (TcpState b : TcpState.values()) {
                var path = TcpState.shortestPath(a, b);
                assertTrue(path.isPresent(), a + " → " + b + " reachable");
                TcpState at = a;
                for (TcpState.Edge e : path.get()) {
                    assertEquals(at, e.from());
                    assertTrue(TcpState.edges().contains(e));
                    at = e.to();
                }
                assertEquals(b, at);
            }
        }
        assertEquals(List.of(), TcpState.shortestPath(TcpState.LISTEN, TcpState.LISTEN).orElseThrow());
    }

    @Test
    void kernelStatesMapToRfcStates() {
        assertEquals(TcpState.SYN_RECV, KernelTcpState.NEW_SYN_RECV.rfcState());
        assertEquals(TcpState.CLOSED, KernelTcpState.BOUND_INACTIVE.rfcState());
        assertEquals(KernelTcpState.TIME_WAIT, KernelTcpState.fromCode(6).orElseThrow());
        assertEquals(KernelTcpState.BOUND_INACTIVE, KernelTcpState.fromCode(13).orElseThrow());
        assertTrue(KernelTcpState.fromCode(14).isEmpty());
        for (KernelTcpState k : KernelTcpState.values()) assertNotNull(k.rfcState());
    }

    @Test
    void parsesSsAndRfcNames() {
        assertEquals(TcpState.ESTABLISHED, TcpState.parse("ESTAB").orElseThrow());
        assertEquals(TcpState.FIN_WAIT2, TcpState.parse("FIN-WAIT-2").orElseThrow());
        assertEquals(TcpState.SYN_RECV, TcpState.parse("syn-recv").orElseThrow());
        assertEquals(TcpState.SYN_RECV, TcpState.parse("NEW_SYN_RECV").orElseThrow());
        assertEquals(TcpState.TIME_WAIT, TcpState.parse("TIME-WAIT").orElseThrow());
        assertTrue(TcpState.parse("ITMED_WAIT").isEmpty());
    }
}
