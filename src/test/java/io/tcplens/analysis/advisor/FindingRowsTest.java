package io.tcplens.analysis.advisor;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.ports.Destination;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingRowsTest {
    private static Finding finding(String id, String rule) {
        return new Finding(id, rule, Finding.Severity.WARNING, Text.of("x"), List.of(), List.of(), List.of());
    }

    @Test
    void closeWaitFindingIsAboutItsOwnersCloseWaitSocketsOnly() {
        SocketEntry mine = Rows.row(5000, 40001, TcpState.CLOSE_WAIT, 42, null);
        SocketEntry mineOpen = Rows.row(5000, 40002, TcpState.ESTABLISHED, 42, null);
        SocketEntry other = Rows.row(5001, 40003, TcpState.CLOSE_WAIT, 43, null);
        FindingRows rows = FindingRows.of(finding("close-wait|" + RuleSupport.ownerKey(mine), "close-wait")).orElseThrow();
        assertEquals(TcpState.CLOSE_WAIT, rows.state());
        assertNull(rows.remote());
        assertEquals(List.of(mine.key()), rows.keys(List.of(mine, mineOpen, other)));
    }

    @Test
    void portExhaustionFindingIsAboutItsDestinationAndNamesItsRemote() {
        SocketEntry tw = Rows.row(40001, 443, TcpState.TIME_WAIT, null, 1000L);
        SocketEntry est = Rows.row(40002, 443, TcpState.ESTABLISHED, 7, null);
        SocketEntry elsewhere = Rows.row(40003, 80, TcpState.TIME_WAIT, null, 1000L);
        String dest = Destination.of(tw).toString();
        FindingRows rows = FindingRows.of(finding("port-exhaustion|" + dest, "port-exhaustion")).orElseThrow();
        assertNull(rows.state(), "several states toward one destination");
        assertEquals("127.0.0.1", rows.remote());
        assertEquals(List.of(tw.key(), est.key()), rows.keys(List.of(tw, est, elsewhere)));
    }

    @Test
    void settingsFindingsHaveNoRows() {
        assertTrue(FindingRows.of(finding("tw-recycle", "tw-recycle")).isEmpty());
        assertTrue(FindingRows.of(finding("tw-reuse-without-timestamps", "tw-reuse-without-timestamps")).isEmpty());
        assertEquals(TcpState.TIME_WAIT, FindingRows.of(finding("timewait-side", "timewait-side")).orElseThrow().state());
    }
}
