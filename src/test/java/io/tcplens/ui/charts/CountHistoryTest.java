package io.tcplens.ui.charts;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountHistoryTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");

    @Test
    void windowsAreFixedAndMemoryIsBounded() {
        CountHistory h = new CountHistory();
        ConnectionTracker tr = new ConnectionTracker();
        long t0 = 1_000_000;
        for (int i = 0; i < 2 * 3600; i++) { // two hours at 1 s
            List<SocketEntry> rows = new ArrayList<>();
            for (int p = 0; p < i % 5; p++) rows.add(Rows.row(p, 80, TcpState.ESTABLISHED, 1, null));
            var u = tr.update(new Snapshot(t0 + i * 1000L, rows, SRC, List.of()));
            h.add(new PollResult(i, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        assertTrue(h.size() <= 3601, "history holds at most the 60-minute window: " + h.size());
        long now = t0 + (2 * 3600 - 1) * 1000L;
        List<CountHistory.Point> one = h.window(now, 60_000, 240);
        assertEquals(61, one.size(), "1 minute at 1 s = 61 samples, under the point cap");
        assertTrue(one.get(0).secondsAgo() >= -60 && one.get(one.size() - 1).secondsAgo() == 0);
        List<CountHistory.Point> hour = h.window(now, 3_600_000, 240);
        assertTrue(hour.size() <= 240, "downsampled to the cap: " + hour.size());
        // averaging keeps the mean: counts cycle 0..4, mean 2
        double mean = hour.stream().mapToDouble(p -> p.counts()[0]).average().orElseThrow();
        assertEquals(2.0, mean, 0.1);
    }

    @Test
    void ratesArePerSecond() {
        CountHistory h = new CountHistory();
        ConnectionTracker tr = new ConnectionTracker();
        var u1 = tr.update(new Snapshot(1000, List.of(), SRC, List.of()));
        h.add(new PollResult(1, u1.snapshot(), u1.diff(), u1.connections(), 0, null));
        List<SocketEntry> rows = new ArrayList<>();
        for (int p = 0; p < 10; p++) rows.add(Rows.row(p, 80, TcpState.ESTABLISHED, 1, null));
        var u2 = tr.update(new Snapshot(3000, rows, SRC, List.of())); // 10 opens over 2 s
        h.add(new PollResult(2, u2.snapshot(), u2.diff(), u2.connections(), 0, null));
        var pts = h.window(3000, 60_000, 240);
        assertEquals(5.0, pts.get(pts.size() - 1).opensPerSec(), 1e-9);
    }
}
