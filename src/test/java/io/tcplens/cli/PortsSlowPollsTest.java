package io.tcplens.cli;

import static io.tcplens.analysis.Crafted.listen;
import static io.tcplens.analysis.Crafted.sock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.analysis.Crafted;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ports} says in its output (text and JSON) when its polls were too slow for the TIME_WAIT takeovers it
 * measures: 20 4-tuples, each taken over every 2 s, read by polls that take 1.8 s each. The close-rate meter
 * tells a takeover from a slow poll's late reading only past twice the slowest poll, so it counts every other one;
 * without the warning `ports` would print half the true close rate as if it were right.
 * With polls of 50 ms the same churn is counted and nothing is said.
 */
class PortsSlowPollsTest {
    static final EphemeralPortRange RANGE = EphemeralPortRange.of(40000, 40099, List.of(), "test range");

    record Out(String text, JsonNode json, PortReport report) {}

    static Out watch(long pollMillis) throws Exception {
        Crafted c = new Crafted();
        PortUsageAnalyzer a = new PortUsageAnalyzer(60_000, 60_000);
        SocketEntry l = listen("0.0.0.0", 8080);
        PollResult last = slow(c.poll(1_000, List.of(l)), pollMillis);
        a.observe(last);
        for (int i = 1; i <= 10; i++) {
            List<SocketEntry> rows = new ArrayList<>(List.of(l));
            // each 4-tuple taken over and closed again 100 ms before the poll
            for (int p = 0; p < 20; p++) rows.add(sock("10.0.0.1", 40000 + p, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 100));
            last = slow(c.poll(1_000 + i * 2_000L, rows), pollMillis);
            a.observe(last);
        }
        PortReport r = a.report(last, RANGE, TimeWaitDuration.LINUX);
        StringWriter w = new StringWriter();
        PortsCommand.print(new PrintWriter(w), r, 20, a.meter().slowPolls());
        JsonNode j = PortsCommand.toJson(r, 20, a.meter().slowPolls());
        return new Out(w.toString(), j, r);
    }

    @Test
    void slowPollsAreSaid() throws Exception {
        Out o = watch(1_800);
        assertEquals(5.0, o.report().timeWaitEntryRate(), 0.01, "the meter counts half of the 10 takeovers/s");
        assertTrue(o.text().contains("warning: polls were too slow for the takeovers measured"), o.text());
        assertTrue(o.text().contains("3600 ms"), o.text());
        JsonNode s = o.json().get("pollsTooSlow");
        assertTrue(s.isObject(), o.json().toString());
        assertEquals(3600, s.get("marginMs").asLong());
        assertEquals(100, s.get("uncertainTakeovers").asInt(), s.toString());
        assertEquals(5.0, s.get("uncertainPerSecond").asDouble(), 0.01, "the other half: " + s);
    }

    @Test
    void quickPollsCountAndSayNothing() throws Exception {
        Out o = watch(50);
        assertEquals(10.0, o.report().timeWaitEntryRate(), 0.01, "20 4-tuples every 2 s over 20 s");
        assertFalse(o.text().contains("too slow"), o.text());
        assertTrue(o.json().get("pollsTooSlow").isNull(), o.json().toString());
    }

    private static PollResult slow(PollResult r, long millis) {
        return new PollResult(r.sequence(), r.snapshot(), r.diff(), r.connections(), millis * 1_000_000L, r.error());
    }
}
