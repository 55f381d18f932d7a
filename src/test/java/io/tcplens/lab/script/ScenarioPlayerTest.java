package io.tcplens.lab.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.lab.LabEvent;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class ScenarioPlayerTest {
    final ResourceBundle bundle = LabEvent.bundle(Locale.ENGLISH);

    /** Walks every script forward to the end and back to the start; every state change is an RFC 9293 edge. */
    @Test
    void everyStepOfEveryScriptIsALegalTransition() {
        for (Script s : Scripts.all()) {
            ScenarioPlayer p = new ScenarioPlayer(s);
            List<TcpState> seqA = new ArrayList<>(List.of(p.state(Host.A)));
            List<TcpState> seqB = new ArrayList<>(List.of(p.state(Host.B)));
            int steps = 0;
            while (p.forward()) {
                steps++;
                seqA.add(p.state(Host.A));
                seqB.add(p.state(Host.B));
                assertTrue(bundle.containsKey(p.current().narrationKey()), p.current().narrationKey());
            }
            assertEquals(s.steps().size(), steps, s.id());
            assertTrue(p.atEnd());
            assertLegal(s.id() + " A", seqA);
            assertLegal(s.id() + " B", seqB);
            // and back again, through the same states in reverse
            for (int pos = steps - 2; pos >= -1; pos--) {
                assertTrue(p.back());
                assertEquals(pos, p.position());
                assertEquals(seqA.get(pos + 1), p.state(Host.A), s.id() + " back to " + pos);
                assertEquals(seqB.get(pos + 1), p.state(Host.B));
            }
            assertTrue(p.atStart());
            assertFalse(p.back());
            assertTrue(bundle.containsKey(s.titleKey()) && bundle.containsKey(s.descriptionKey()), s.id());
        }
    }

    static void assertLegal(String what, List<TcpState> seq) {
        for (int i = 1; i < seq.size(); i++) {
            TcpState from = seq.get(i - 1), to = seq.get(i);
            if (from == to) continue;
            assertTrue(from.edgeTo(to).isPresent(), what + ": " + from + " → " + to + " is not an RFC 9293 edge, step " + i);
        }
    }

    @Test
    void segmentsAreSentOnceAndArriveAtTheOtherHostLater() {
        for (Script s : Scripts.all()) {
            Set<Integer> received = new HashSet<>();
            for (int i = 0; i < s.steps().size(); i++) {
                Step st = s.steps().get(i);
                if (st.sends() != null) assertEquals(st.actor(), st.sends().from(), s.id() + " step " + (i + 1));
                if (st.receives() >= 0) {
                    Segment seg = s.segment(st.receives());
                    assertTrue(s.sentAt(seg.id()) < i, s.id() + ": received before sent");
                    assertEquals(seg.to(), st.actor(), s.id() + ": received by the wrong host");
                    assertNotEquals(Segment.Fate.LOST, seg.fate(), s.id() + ": a lost segment arrived");
                    assertTrue(received.add(seg.id()), s.id() + ": received twice");
                }
            }
            for (Step st : s.steps())
                if (st.sends() != null && st.sends().fate() != Segment.Fate.LOST)
                    assertTrue(received.contains(st.sends().id()), s.id() + ": segment " + st.sends().id() + " never arrives");
        }
    }

    @Test
    void theScriptsCoverWhatPollingRarelyCatches() {
        Set<TcpState> seen = EnumSet.noneOf(TcpState.class);
        for (Script s : Scripts.all()) for (Step st : s.steps()) {
            seen.add(st.stateA());
            seen.add(st.stateB());
        }
        assertTrue(seen.containsAll(EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.CLOSING, TcpState.LAST_ACK,
                TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2)), seen.toString());
        Script lost = Scripts.byId("lost-final-ack").orElseThrow();
        assertTrue(lost.steps().stream().anyMatch(st -> st.sends() != null && st.sends().fate() == Segment.Fate.LOST));
        Script stray = Scripts.byId("stray-segment").orElseThrow();
        int delayed = stray.steps().stream().filter(st -> st.sends() != null && st.sends().fate() == Segment.Fate.DELAYED)
                .findFirst().orElseThrow().sends().id();
        assertEquals(TcpState.TIME_WAIT, stray.steps().get(stray.receivedAt(delayed)).stateA(),
                "the stray arrives while A holds TIME_WAIT");
    }

    @Test
    void theScriptSourceIsLabelledSimulated() throws Exception {
        try (SocketTableSource src = Sources.open("script:handshake")) {
            assertEquals(SourceInfo.Kind.SIMULATED, src.info().kind());
            assertEquals(TcpState.LISTEN, src.poll().sockets().get(0).state()); // A CLOSED: only B's listener
            assertEquals(TcpState.SYN_SENT, src.poll().sockets().get(0).state());
            assertEquals(List.of(TcpState.SYN_SENT, TcpState.LISTEN, TcpState.SYN_RECV), src.poll().sockets().stream().map(e -> e.state()).toList());
        }
        assertTrue(Assertions.assertThrows(SourceException.class,
                () -> Sources.open("script:nope")).getMessage().startsWith("unknown script 'nope' (known: handshake"));
    }
}
