package io.tcplens.model;

import static io.tcplens.model.KernelTcpState.CLOSE;
import static io.tcplens.model.KernelTcpState.CLOSE_WAIT;
import static io.tcplens.model.KernelTcpState.ESTABLISHED;
import static io.tcplens.model.KernelTcpState.LAST_ACK;
import static io.tcplens.model.KernelTcpState.LISTEN;
import static io.tcplens.model.KernelTcpState.SYN_RECV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The observed steps of an interval come out in the kernel's time order, whatever order the tracker met their
 * 4-tuples in, and steps of one time keep the order of their 4-tuples' first events (a stable order, as the list
 * sort it replaced): 3,000 server sides, opened and closed between two polls, their lives overlapping.
 */
class ObservedStepsOrderTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted");

    private static KernelTransition ev(ConnectionKey k, KernelTcpState from, KernelTcpState to, long mono) {
        return new KernelTransition(k, 0, from, to, mono / 1_000_000L, mono, null, null, 0, 0);
    }

    @Test
    void stepsAreInKernelTimeOrderAndTiesKeepTheirTuplesOrder() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        List<SocketEntry> rows = List.of(Rows.row(7000, 0, TcpState.LISTEN, null, null));
        tr.update(new Snapshot(100_000, rows, SRC, List.of()), EventBatch.empty(true));
        Random rnd = new Random(11);
        List<KernelTransition> batch = new ArrayList<>();
        List<ConnectionKey> keys = new ArrayList<>();
        long base = 100_100L * 1_000_000L;
        for (int i = 0; i < 3_000; i++) {
            ConnectionKey k = Rows.row(7000, 20_000 + i, TcpState.ESTABLISHED, null, null).key();
            keys.add(k);
            long t = base + rnd.nextInt(800) * 1_000_000L; // many lives start in the same millisecond: ties
            batch.add(ev(k, LISTEN, SYN_RECV, t));
            batch.add(ev(k, SYN_RECV, ESTABLISHED, t));
            batch.add(ev(k, ESTABLISHED, CLOSE_WAIT, t + 1_000_000L));
            batch.add(ev(k, CLOSE_WAIT, LAST_ACK, t + 1_000_000L));
            batch.add(ev(k, LAST_ACK, CLOSE, t + 2_000_000L));
        }
        batch.sort((a, b) -> Long.compare(a.monoNanos(), b.monoNanos())); // as a feed hands them (stable: ties in the order made)
        ConnectionTracker.Update u = tr.update(new Snapshot(101_000, rows, SRC, List.of()), new EventBatch(batch, 0, true));
        assertTrue(u.diff().eventsComplete());
        List<StateChange> steps = u.diff().events().transitions();
        assertEquals(5 * 3_000, steps.size());
        // the order expected: by time, ties by the 4-tuple's first event in the batch, then by step within the 4-tuple
        List<ConnectionKey> firstSeen = new ArrayList<>(new LinkedHashSet<>(batch.stream().map(KernelTransition::key).toList()));
        Map<ConnectionKey, Integer> rank = new HashMap<>();
        for (int i = 0; i < firstSeen.size(); i++) rank.put(firstSeen.get(i), i);
        for (int i = 1; i < steps.size(); i++) {
            StateChange a = steps.get(i - 1), b = steps.get(i);
            assertTrue(a.atMillis() <= b.atMillis(), "step " + i + " out of time order");
            if (a.atMillis() != b.atMillis()) continue;
            if (a.key().equals(b.key())) assertEquals(a.to(), b.from(), "step " + i + ": a 4-tuple's tie out of its order");
            else assertTrue(rank.get(a.key()) < rank.get(b.key()), "step " + i + ": a tie not in its 4-tuples' order");
        }
    }
}
