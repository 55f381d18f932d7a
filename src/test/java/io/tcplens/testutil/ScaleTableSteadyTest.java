package io.tcplens.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.TcpState;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The steady table ({@link ScaleTable.Churn#STEADY}): its TIME_WAIT sockets were made evenly over the last minute
 * (their remaining times spread over 0–60 s, not all within seconds as in a burst), the count is level, and with
 * ESTABLISHED churn the pairs turn over while their count stays the same. In a private namespace (root).
 * Its minute is spent waiting for the table to fill (the workers make a sixtieth a second), so it runs beside the
 * other classes (junit-platform.properties).
 */
@Execution(ExecutionMode.CONCURRENT)
class ScaleTableSteadyTest {
    private static final int SOCKETS = 4_000;
    private static final double PAIRS_PER_SECOND = 20;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void timeWaitIsSpreadOverTheMinuteAndEstablishedPairsTurnOver() throws Exception {
        String why = ScaleTable.netnsUnavailableReason();
        assumeTrue(why == null, () -> "skipped: needs a private network namespace: " + why);
        try (ScaleTable table = ScaleTable.build(SOCKETS, ScaleTable.Options.defaults().withNetns(true).withSteadyChurn(PAIRS_PER_SECOND))) {
            assertEquals(ScaleTable.Churn.STEADY, table.churn());
            List<Ss.Row> rows = Ss.tano(table.prefix());
            List<Ss.Row> tw = rows.stream().filter(r -> r.state() == TcpState.TIME_WAIT).toList();
            assertTrue(Math.abs(tw.size() - table.timeWait()) <= table.timeWait() * 0.05,
                    "TIME_WAIT " + tw.size() + ", made at " + table.timeWait() + " a minute: level within 5 %");
            // remaining time in 10-s buckets: about a sixth in each (a burst puts them all in one or two)
            int[] buckets = new int[6];
            for (Ss.Row r : tw) buckets[(int) Math.min(5, Math.max(0, r.timerMs()) / 10_000)]++;
            for (int b = 0; b < 6; b++) {
                double share = buckets[b] / (double) tw.size();
                assertTrue(share > 0.10 && share < 0.24, "TIME_WAIT with " + b * 10 + "-" + (b + 1) * 10
                        + " s left: " + buckets[b] + " of " + tw.size() + " (all buckets " + Arrays.toString(buckets) + ")");
            }
            Set<String> before = established(rows);
            assertEquals(table.pairs() * 2, before.size(), "ESTABLISHED at start");
            // the oldest pairs are replaced at 20 a second: a tenth of them within seconds
            Await.untilChecked(() -> {
                Set<String> now = established(Ss.tano(table.prefix()));
                return before.stream().filter(k -> !now.contains(k)).count() >= before.size() / 10;
            }, Duration.ofSeconds(60), "a tenth of the ESTABLISHED sockets replaced");
            Set<String> after = established(Ss.tano(table.prefix()));
            assertTrue(Math.abs(after.size() - table.pairs() * 2) <= 8, "ESTABLISHED stays level: " + after.size()
                    + " against " + table.pairs() * 2);
            assertTrue(after.stream().filter(k -> !before.contains(k)).count() >= before.size() / 10, "new 4-tuples opened in their place");
            assertTrue(table.whole(), "every worker still runs");
        }
    }

    private static Set<String> established(List<Ss.Row> rows) {
        return rows.stream().filter(r -> r.state() == TcpState.ESTABLISHED)
                .map(r -> r.local() + ":" + r.localPort() + ">" + r.peer() + ":" + r.peerPort()).collect(Collectors.toSet());
    }
}
