package io.tcplens.analysis.alerts;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRuleTest {
    @Test
    void parsesTheSyntaxAndWritesItBack() {
        assertEquals(AlertRule.stateAbove(TcpState.CLOSE_WAIT, 100), AlertRule.parse("CLOSE_WAIT>100"));
        assertEquals(AlertRule.stateAbove(TcpState.TIME_WAIT, 5), AlertRule.parse(" time-wait > 5 "));
        assertEquals("ESTABLISHED>=3", AlertRule.parse("ESTAB>=3").toString());
        assertEquals("total<=0", AlertRule.parse("total<=0").toString());
        assertEquals(AlertRule.headroomBelow(10), AlertRule.parse("headroom<10%"));
        assertEquals("headroom<=2.5%", AlertRule.parse("headroom<=2.5%").toString());
        assertEquals(AlertRule.closeWaitGrowth(20, 300_000), AlertRule.parse("closewait-growth>20"));
        assertEquals("closewait-growth>20/90s", AlertRule.parse("closewait-growth>20/90s").toString());
        assertEquals("closewait-growth>1/1h", AlertRule.parse("closewait-growth>1/60m").toString());
        List<AlertRule> all = AlertRule.parseAll("CLOSE_WAIT>100; headroom<10%\nclosewait-growth>20/5m;;");
        assertEquals(3, all.size());
        assertEquals(all, AlertRule.parseAll(AlertRule.format(all)));
    }

    @Test
    void refusesWithOneLineThatShowsTheSyntax() {
        for (String bad : List.of("", "CLOSE_WAIT", "CLOSE_WAIT>", "FOO>1", "CLOSE_WAIT>-1", "CLOSE_WAIT>1.5", "headroom>10%",
                "headroom<10", "headroom<150%", "closewait-growth<3", "closewait-growth>3/0s", "closewait-growth>3/5y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertRule.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. CLOSE_WAIT>100"), e.getMessage());
        }
    }

    @Test
    void clearsTenPercentBackFromTheThreshold() {
        AlertRule r = AlertRule.parse("CLOSE_WAIT>100");
        assertFalse(r.holds(100));
        assertTrue(r.holds(101));
        assertFalse(r.clears(91));
        assertTrue(r.clears(90));
        AlertRule small = AlertRule.parse("CLOSE_WAIT>5");
        assertTrue(small.clears(5));
        AlertRule h = AlertRule.parse("headroom<10%");
        assertTrue(h.holds(9.9));
        assertFalse(h.clears(10.5));
        assertTrue(h.clears(11));
    }
}
