package io.tcplens.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TokenModelTest {

    @Test
    void inferredPathsAreLegalForEveryPairOfStates() {
        for (TcpState from : TcpState.values()) {
            for (TcpState to : TcpState.values()) {
                List<EdgeStep> path = TransitionPlanner.path(from, to, 5);
                if (from == to) {
                    assertTrue(path.isEmpty());
                    continue;
                }
                assertFalse(path.isEmpty(), from + " -> " + to + " reachable");
                assertEquals(from, path.get(0).from());
                assertEquals(to, path.get(path.size() - 1).to());
                for (int i = 1; i < path.size(); i++) assertEquals(path.get(i - 1).to(), path.get(i).from());
                boolean direct = from.edgeTo(to).isPresent();
                assertEquals(direct ? 1 : LikelyPath.between(from, to).orElseThrow().size(), path.size());
                for (EdgeStep s : path) assertEquals(!direct, s.inferred(), from + " -> " + to);
            }
        }
    }

    @Test
    void likelyPathsGoThroughEstablished() {
        assertEquals(List.of(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.TIME_WAIT),
                LikelyPath.between(TcpState.CLOSED, TcpState.TIME_WAIT).orElseThrow().stream().map(TcpState.Edge::to).toList());
        assertEquals(List.of(TcpState.SYN_RECV, TcpState.ESTABLISHED),
                LikelyPath.between(TcpState.LISTEN, TcpState.ESTABLISHED).orElseThrow().stream().map(TcpState.Edge::to).toList());
        assertEquals(List.of(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSED),
                LikelyPath.between(TcpState.ESTABLISHED, TcpState.CLOSED).orElseThrow().stream().map(TcpState.Edge::to).toList());
    }

    @Test
    void skippedStatesAreWalkedAsAnInferredPathAndAnObservedEdgeIsNot() {
        ConnectionKey k = Fixtures.key(40000, 80);
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner();
        TokenModel model = new TokenModel();
        model.apply(planner.plan(List.of(polls.next(Map.of(k, TcpState.ESTABLISHED)))));
        assertEquals(TcpState.ESTABLISHED, model.token(k).at());
        // FIN_WAIT1 is skipped between two polls: ESTABLISHED -> FIN_WAIT2
        DiagramPlan p = planner.plan(List.of(polls.next(Map.of(k, TcpState.FIN_WAIT2))));
        model.apply(p);
        assertEquals(1, p.moves().size());
        List<EdgeStep> path = p.moves().get(0).path();
        assertEquals(2, path.size());
        assertTrue(path.get(0).inferred() && path.get(1).inferred());
        assertEquals(TcpState.FIN_WAIT1, path.get(0).to());
        // then the direct edge FIN_WAIT2 -> TIME_WAIT is observed
        p = planner.plan(List.of(polls.next(Map.of(k, TcpState.TIME_WAIT))));
        assertFalse(p.moves().get(0).path().get(0).inferred());
        model.apply(p);
        for (int i = 0; i < 100; i++) model.advance(50);
        TokenModel.Token t = model.token(k);
        assertEquals(TcpState.TIME_WAIT, t.at());
        List<TokenModel.Step> h = t.history();
        assertEquals(List.of(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.TIME_WAIT), h.stream().map(TokenModel.Step::to).toList());
        assertEquals(List.of(true, true, false), h.stream().map(TokenModel.Step::inferred).toList());
        // it closes: walks TIME_WAIT -> CLOSED, fades and is gone
        model.apply(planner.plan(List.of(polls.next(Map.of()))));
        assertEquals(1, model.departing().size());
        for (int i = 0; i < 100; i++) model.advance(50);
        assertTrue(model.departing().isEmpty());
        assertEquals(0, model.size());
    }

    @Test
    void acceptedConnectionsComeOutOfTheirListener() {
        ConnectionKey listener = Fixtures.key(8080, 0);
        ConnectionKey accepted = Fixtures.key(8080, 50000);
        ConnectionKey outgoing = Fixtures.key(50001, 9000);
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner();
        planner.plan(List.of(polls.next(Map.of(listener, TcpState.LISTEN))));
        DiagramPlan p = planner.plan(List.of(polls.next(Map.of(listener, TcpState.LISTEN,
                accepted, TcpState.ESTABLISHED, outgoing, TcpState.ESTABLISHED))));
        Map<ConnectionKey, TokenMove> byKey = new HashMap<>();
        for (TokenMove m : p.moves()) byKey.put(m.key(), m);
        assertEquals(TcpState.LISTEN, byKey.get(accepted).origin());
        assertEquals(TcpState.SYN_RECV, byKey.get(accepted).path().get(0).to());
        assertEquals(TcpState.CLOSED, byKey.get(outgoing).origin());
        assertEquals(TcpState.SYN_SENT, byKey.get(outgoing).path().get(0).to());
    }

    @Test
    void pauseFreezesAndStepWalksOneEdge() {
        ConnectionKey k = Fixtures.key(40000, 80);
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner();
        TokenModel model = new TokenModel();
        model.apply(planner.plan(List.of(polls.next(Map.of(k, TcpState.ESTABLISHED)))));
        model.setPaused(true);
        model.apply(planner.plan(List.of(polls.next(Map.of(k, TcpState.TIME_WAIT)))));
        for (int i = 0; i < 50; i++) model.advance(100);
        assertEquals(TcpState.ESTABLISHED, model.token(k).at(), "paused: nothing moves");
        assertTrue(model.step());
        for (int i = 0; i < 50; i++) model.advance(100);
        assertEquals(TcpState.FIN_WAIT1, model.token(k).at(), "one step = one edge");
        assertFalse(model.token(k).moving());
        assertTrue(model.step());
        for (int i = 0; i < 50; i++) model.advance(100);
        assertEquals(TcpState.FIN_WAIT2, model.token(k).at());
        model.setPaused(false);
        for (int i = 0; i < 50; i++) model.advance(100);
        assertEquals(TcpState.TIME_WAIT, model.token(k).at());
        assertFalse(model.step(), "nothing left to step");
    }

    @Test
    void slowMotionStretchesTime() {
        ConnectionKey k = Fixtures.key(40000, 80);
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner();
        TokenModel model = new TokenModel();
        model.apply(planner.plan(List.of(polls.next(Map.of(k, TcpState.ESTABLISHED)))));
        model.setSlowMotion(10);
        model.apply(planner.plan(List.of(polls.next(Map.of(k, TcpState.CLOSE_WAIT)))));
        model.advance(TokenModel.SEGMENT_MS * 5);
        assertTrue(model.token(k).moving());
        assertEquals(0.5, model.token(k).progress(), 1e-9);
    }

    @Test
    void aggregatesAboveTheThresholdAndComesBack() {
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner(null, 100);
        TokenModel model = new TokenModel();
        Map<ConnectionKey, TcpState> table = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) table.put(Fixtures.key(30000 + i, 80), TcpState.ESTABLISHED);
        model.apply(planner.plan(List.of(polls.next(table))));
        assertEquals(50, model.size());
        for (int i = 50; i < 150; i++) table.put(Fixtures.key(30000 + i, 80), TcpState.TIME_WAIT);
        DiagramPlan p = planner.plan(List.of(polls.next(table)));
        model.apply(p);
        assertTrue(p.aggregated());
        assertEquals(0, model.size());
        assertEquals(100, p.counts().get(TcpState.TIME_WAIT));
        assertTrue(p.edgeRates()[EdgeStep.indexOf(TcpState.CLOSED.edgeTo(TcpState.SYN_SENT).orElseThrow())] > 0);
        for (int i = 50; i < 150; i++) table.remove(Fixtures.key(30000 + i, 80));
        p = planner.plan(List.of(polls.next(table)));
        model.apply(p);
        assertFalse(p.aggregated());
        assertEquals(50, model.size());
    }

    /**
     * Aggregated, the planner keeps no map of every connection (issue 11: at 100k it held a key per
     * connection from an old poll), yet its counts and edge rates equal a planner drawing tokens.
     */
    @Test
    void aggregatedCountsAndRatesMatchTokensWithoutAMapOfEveryConnection() {
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner aggregated = new TransitionPlanner(null, 10);
        TransitionPlanner tokens = new TransitionPlanner(null, 1_000_000);
        Map<ConnectionKey, TcpState> table = new LinkedHashMap<>();
        Random rnd = new Random(11);
        TcpState[] states = {TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.FIN_WAIT2, TcpState.CLOSE_WAIT, TcpState.LISTEN};
        for (int poll = 0; poll < 30; poll++) {
            for (int i = 0; i < 40; i++) {
                ConnectionKey k = Fixtures.key(30000 + rnd.nextInt(200), 80 + rnd.nextInt(3));
                if (rnd.nextInt(4) == 0) table.remove(k);
                else table.put(k, states[rnd.nextInt(states.length)]);
            }
            PollResult r = polls.next(table);
            DiagramPlan a = aggregated.plan(List.of(r));
            DiagramPlan t = tokens.plan(List.of(r));
            if (table.size() <= 10) continue;
            assertTrue(a.aggregated());
            assertTrue(aggregated.known().isEmpty());
            assertEquals(t.counts(), a.counts());
            assertEquals(table.size(), aggregated.size());
            for (int e = 0; e < t.edgeRates().length; e++) assertEquals(t.edgeRates()[e], a.edgeRates()[e], 1e-9, "edge " + e);
        }
    }

    /** No token is lost or duplicated, whatever the tables, batches, pauses and steps. */
    @Property(tries = 1000)
    void everyConnectionHasExactlyOneTokenInItsState(@ForAll long seed) {
        Random rnd = new Random(seed);
        TcpState[] states = TcpState.values();
        Fixtures.Polls polls = new Fixtures.Polls();
        TransitionPlanner planner = new TransitionPlanner(null, 1_000);
        TokenModel model = new TokenModel();
        Map<ConnectionKey, TcpState> table = new HashMap<>();
        int keySpace = 1 + rnd.nextInt(25);
        for (int round = 0; round < 12; round++) {
            List<PollResult> batch = new ArrayList<>();
            int polls_ = 1 + rnd.nextInt(3);
            for (int b = 0; b < polls_; b++) {
                int changes = rnd.nextInt(keySpace + 1);
                for (int c = 0; c < changes; c++) {
                    ConnectionKey k = Fixtures.key(40000 + rnd.nextInt(keySpace), 80);
                    if (rnd.nextInt(4) == 0) table.remove(k);
                    else table.put(k, states[rnd.nextInt(states.length)]);
                }
                batch.add(polls.next(table));
            }
            DiagramPlan plan = planner.plan(batch);
            model.apply(plan);
            assertEquals(table.keySet(), planner.known().keySet());
            for (TcpState s : states)
                assertEquals(table.values().stream().filter(v -> v == s).count(), (long) plan.counts().get(s), "count of " + s);
            assertEquals(table.keySet(), keys(model));
            for (Map.Entry<ConnectionKey, TcpState> e : table.entrySet())
                assertEquals(e.getValue(), model.token(e.getKey()).destination(), "heading for its state");
            switch (rnd.nextInt(5)) {
                case 0 -> model.setPaused(true);
                case 1 -> model.step();
                case 2 -> model.setPaused(false);
                default -> { }
            }
            model.setSlowMotion(1 + rnd.nextInt(10));
            int frames = rnd.nextInt(40);
            for (int f = 0; f < frames; f++) model.advance(rnd.nextInt(200));
            int restingTotal = 0;
            for (TcpState s : states) restingTotal += model.restingCount(s);
            assertTrue(restingTotal <= model.size());
        }
        model.setPaused(false);
        for (int f = 0; f < 2000 && model.animating(); f++) model.advance(100);
        assertFalse(model.animating());
        assertTrue(model.departing().isEmpty());
        int restingTotal = 0;
        for (TcpState s : states) restingTotal += model.restingCount(s);
        assertEquals(table.size(), restingTotal);
        for (Map.Entry<ConnectionKey, TcpState> e : table.entrySet()) {
            TokenModel.Token t = model.token(e.getKey());
            assertNotNull(t);
            assertEquals(e.getValue(), t.at());
            assertFalse(t.moving());
            for (int i = 1; i < t.history().size(); i++)
                assertEquals(t.history().get(i - 1).to(), t.history().get(i).from(), "history is a legal walk");
            Optional<TokenModel.Step> last = t.history().isEmpty() ? Optional.empty()
                    : Optional.of(t.history().get(t.history().size() - 1));
            last.ifPresent(s -> assertEquals(e.getValue(), s.to()));
        }
    }

    private static Set<ConnectionKey> keys(TokenModel m) {
        Set<ConnectionKey> s = new HashSet<>();
        for (TokenModel.Token t : m.tokens()) assertTrue(s.add(t.key()), "duplicate token");
        return s;
    }
}
