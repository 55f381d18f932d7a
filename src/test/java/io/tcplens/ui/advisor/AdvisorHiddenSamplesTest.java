package io.tcplens.ui.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: in the background the advisor tab takes the advisor's growth samples (each a walk of the
 * whole table) with the badge's advice, every {@link AdvisorView#HIDDEN_ADVICE_EVERY_MILLIS}, not at
 * every poll; shown again, it samples every poll and its findings cover the span it watched.
 */
class AdvisorHiddenSamplesTest {
    @Test
    void theHiddenTabSamplesWithItsBadgeOnly() {
        FxTestSupport.start();
        List<Long> sampledAt = new ArrayList<>();
        Advisor advisor = new Advisor(KernelSettings.read(SysctlReader.system()), t -> {
            sampledAt.add(t);
            return NetstatCounters.none();
        }, 60_000);
        AdvisorView view = FxTestSupport.onFx(() -> new AdvisorView(new TestShellContext(), advisor));
        GeneratedTable table = new GeneratedTable(3_000, 300);
        ConnectionTracker tracker = new ConnectionTracker();
        List<PollResult> polls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ConnectionTracker.Update u = tracker.update(table.poll());
            polls.add(new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        long t0 = polls.getFirst().snapshot().timestampMillis(), t11 = polls.getLast().snapshot().timestampMillis();
        assertTrue(t11 - t0 >= 10_000, "the generated polls are a second apart: " + (t11 - t0) + " ms");
        for (PollResult r : polls) view.observe(List.of(r));
        long span = (t11 - t0) / AdvisorView.HIDDEN_ADVICE_EVERY_MILLIS + 1;
        assertTrue(sampledAt.size() <= span + 1, "samples taken in the background: " + sampledAt.size() + " for 12 polls");
        assertTrue(sampledAt.size() >= 2, "the badge's advice samples: " + sampledAt);
        // shown: every poll sampled again, and the findings cover what was watched
        int before = sampledAt.size();
        PollResult next = polls.getLast();
        AdvisorView.Prepared p = view.prepare(next, List.of());
        assertNotNull(p);
        assertTrue(p.observedSeconds() > 0 && p.observedSeconds() <= (t11 - t0) / 1000.0, "watched " + p.observedSeconds() + " s");
        ConnectionTracker.Update u = tracker.update(table.poll());
        PollResult r13 = new PollResult(13, u.snapshot(), u.diff(), u.connections(), 0, null);
        ConnectionTracker.Update u2 = tracker.update(table.poll());
        PollResult r14 = new PollResult(14, u2.snapshot(), u2.diff(), u2.connections(), 0, null);
        view.prepare(r14, List.of(r13, r14));
        assertEquals(List.of(r13.snapshot().timestampMillis(), r14.snapshot().timestampMillis()),
                sampledAt.subList(sampledAt.size() - 2, sampledAt.size()), "shown: each poll sampled");
        assertTrue(sampledAt.size() - before >= 2);
    }
}
