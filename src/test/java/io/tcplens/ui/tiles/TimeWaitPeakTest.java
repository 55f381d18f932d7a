package io.tcplens.ui.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.analysis.StateCounts;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TIME_WAIT pressure tile's figure (StateCounts.figures, what the tiles' prepare reads): the most TIME_WAIT sockets from one local address to one remote endpoint. */
class TimeWaitPeakTest {
    private static SocketEntry tw(String local, int localPort, String remote, int remotePort) throws UnknownHostException {
        SocketEntry r = Rows.row(1, 1, TcpState.TIME_WAIT, null, 1000L);
        return new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.getByName(local), localPort),
                new Endpoint(InetAddress.getByName(remote), remotePort)), TcpState.TIME_WAIT, null, 0, 0, r.timer(), r.timerRemainingMs(),
                0, -1, 0, null, null, false);
    }

    @Test
    void countsPerLocalAddressAndRemoteEndpoint() throws UnknownHostException {
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) rows.add(tw("10.0.0.1", 40000 + i, "10.0.0.9", 443)); // 5 to one destination
        for (int i = 0; i < 4; i++) rows.add(tw("10.0.0.2", 40000 + i, "10.0.0.9", 443)); // another local address: apart
        for (int i = 0; i < 3; i++) rows.add(tw("10.0.0.1", 41000 + i, "10.0.0.9", 80));  // another remote port: apart
        rows.add(tw("10.0.0.1", 42000, "10.0.0.9", 443));                                  // the sixth, after the others
        for (int i = 0; i < 9; i++) rows.add(Rows.row(30000 + i, 443, TcpState.ESTABLISHED, null, null)); // not TIME_WAIT
        assertEquals(6, StateCounts.figures(new Snapshot(1, rows, null, List.of())).timeWaitPeak());
        assertEquals(0, StateCounts.figures(new Snapshot(2, List.of(), null, List.of())).timeWaitPeak());
    }
}
