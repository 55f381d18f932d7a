package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.sock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tcplens.analysis.Crafted;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The analyzer keeps its TIME_WAIT times in arrays reused from one report to the next (grouped by
 * destination, the forecast sorting a scratch copy in place): a report must not depend on the reports made
 * before it, and each destination's forecast must see its own TIME_WAIT sockets and no other's, with the
 * sockets of destinations interleaved in the table as the kernel lists them.
 */
class PortUsageScratchTest {
    static final EphemeralPortRange RANGE = EphemeralPortRange.of(32768, 60999, List.of(), "test range");

    /** {@code perDest[i]} TIME_WAIT sockets towards 10.0.1.i:80, interleaved in random order, random remaining times. */
    static List<SocketEntry> table(int[] perDest, int established, Random rnd) {
        List<SocketEntry> out = new ArrayList<>();
        int port = 32768;
        for (int d = 0; d < perDest.length; d++)
            for (int i = 0; i < perDest[d]; i++)
                out.add(sock("10.0.0.1", port++, "10.0.1." + d, 80, TcpState.TIME_WAIT, (long) rnd.nextInt(60_001)));
        for (int i = 0; i < established; i++)
            out.add(sock("10.0.0.1", port++, "10.0.1." + (i % perDest.length), 80, TcpState.ESTABLISHED, null));
        Collections.shuffle(out, rnd);
        return out;
    }

    @Test
    void aReportDoesNotDependOnTheReportsBeforeIt() {
        Random rnd = new Random(25);
        Crafted c = new Crafted();
        List<PollResult> polls = List.of(
                c.poll(1_000, table(new int[] {4_000, 1, 700, 0, 2_500}, 300, rnd)),
                c.poll(2_000, table(new int[] {3, 5}, 10, rnd)),
                c.poll(3_000, table(new int[] {1, 6_000, 20, 900, 4, 4, 4}, 50, rnd)));
        PortUsageAnalyzer reused = new PortUsageAnalyzer(30_000);
        List<PortReport> each = new ArrayList<>();
        for (PollResult p : polls) {
            reused.observe(p);
            each.add(reused.report(p, RANGE, TimeWaitDuration.LINUX));
        }
        for (int k = 0; k < polls.size(); k++) {
            PortUsageAnalyzer fresh = new PortUsageAnalyzer(30_000);
            for (int j = 0; j <= k; j++) fresh.observe(polls.get(j));
            PortReport alone = fresh.report(polls.get(k), RANGE, TimeWaitDuration.LINUX);
            assertEquals(alone.destinations(), each.get(k).destinations(), "poll " + k + ": the same report without the ones before");
        }
    }

    @Test
    void eachDestinationsForecastSeesItsOwnTimeWaitSockets() {
        Random rnd = new Random(7);
        Crafted c = new Crafted();
        int[] perDest = {2_000, 3, 0, 1_200, 17};
        List<SocketEntry> table = table(perDest, 40, rnd);
        PortUsageAnalyzer a = new PortUsageAnalyzer(30_000);
        a.observe(c.poll(500, List.of()));
        PollResult p = c.poll(1_000, table);
        a.observe(p);
        a.report(p, RANGE, TimeWaitDuration.LINUX); // the scratch arrays grown once
        PortReport rep = a.report(c.poll(1_000, table), RANGE, TimeWaitDuration.LINUX);
        for (int d = 0; d < perDest.length; d++) {
            String remote = "/10.0.1." + d;
            DestinationUsage u = rep.destinations().stream().filter(x -> x.destination().remote().address().toString().equals(remote))
                    .findFirst().orElseThrow();
            long[] own = table.stream().filter(e -> e.state() == TcpState.TIME_WAIT && e.remote().address().toString().equals(remote))
                    .mapToLong(e -> e.timerRemainingMillis(p.snapshot().timestampMillis())).toArray();
            int other = (int) table.stream().filter(e -> e.state() == TcpState.ESTABLISHED && e.remote().address().toString().equals(remote)).count();
            assertEquals(perDest[d], own.length);
            assertNotNull(u.forecast());
            ExhaustionForecast expected = ExhaustionForecast.compute(u.usable(), other, own, u.closesPerSecond(), TimeWaitDuration.LINUX.millis());
            assertEquals(expected, u.forecast(), "10.0.1." + d);
            assertEquals(perDest[d] + other, u.inUse());
        }
    }
}
