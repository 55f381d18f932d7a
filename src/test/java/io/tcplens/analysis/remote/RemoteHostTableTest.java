package io.tcplens.analysis.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import java.time.Duration;

class RemoteHostTableTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    static InetAddress a(String s) {
        try {
            return InetAddress.getByName(s); // numeric literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static SocketEntry sock(String remote, int rport, int lport, TcpState st, String process) {
        boolean v6 = remote.contains(":");
        ConnectionKey k = new ConnectionKey(new Endpoint(a(v6 ? "2001:db8::99" : "192.0.2.99"), lport), new Endpoint(a(remote), rport));
        return new SocketEntry(k, st, null, 0, 0, null, null, 0, 0, 0, null, process, false);
    }

    static SocketEntry listen(int port) {
        return new SocketEntry(new ConnectionKey(new Endpoint(a("0.0.0.0"), port), new Endpoint(a("0.0.0.0"), 0)),
                TcpState.LISTEN, null, 0, 0, null, null, 0, 0, 0, null, "nginx", false);
    }

    private Snapshot prev;
    private long seq;

    PollResult poll(long at, List<SocketEntry> sockets) {
        Snapshot s = new Snapshot(at, sockets, SRC, List.of());
        SnapshotDiff d = prev == null ? SnapshotDiff.between(Snapshot.empty(SRC), s) : SnapshotDiff.between(prev, s);
        prev = s;
        return new PollResult(++seq, s, d, Map.of(), 0, null);
    }

    static List<SocketEntry> flood() {
        List<SocketEntry> l = new ArrayList<>();
        l.add(listen(80));
        for (int i = 0; i < 12; i++) l.add(sock("203.0.113.7", 40000 + i, 80, TcpState.SYN_RECV, null));
        l.add(sock("203.0.113.7", 41000, 80, TcpState.ESTABLISHED, "nginx"));
        for (int i = 0; i < 3; i++) l.add(sock("203.0.113.9", 40000 + i, 80, TcpState.SYN_RECV, null));
        for (int i = 0; i < 5; i++) l.add(sock("198.51.100.4", 50000 + i, 80, TcpState.ESTABLISHED, "nginx"));
        l.add(sock("198.51.100.4", 50100, 22, TcpState.ESTABLISHED, "sshd"));
        l.add(sock("198.51.100.4", 50101, 80, TcpState.TIME_WAIT, null));
        l.add(sock("2001:db8:1:2::5", 50000, 80, TcpState.CLOSE_WAIT, "nginx"));
        l.add(sock("2001:db8:1:2::6", 50000, 80, TcpState.SYN_RECV, null));
        return l;
    }

    @Test
    void perAddressBreakdownPortsAndProcesses() {
        List<RemoteHostRow> rows = RemoteHostTable.of(new Snapshot(1000, flood(), SRC, List.of()), RemoteQuery.all());
        assertEquals(List.of("203.0.113.7", "198.51.100.4", "203.0.113.9", "2001:db8:1:2::5", "2001:db8:1:2::6"),
                rows.stream().map(RemoteHostRow::label).toList());
        RemoteHostRow r = rows.get(1);
        assertEquals(7, r.total());
        assertEquals(6, r.count(TcpState.ESTABLISHED));
        assertEquals(1, r.count(TcpState.TIME_WAIT));
        assertEquals(List.of(22, 80), r.localPorts());
        assertEquals(List.of("nginx", "sshd"), r.processes());
        assertEquals(7, r.connections().size());
        assertTrue(Double.isNaN(r.newPerSecond()));
        assertFalse(r.isNetwork());
    }

    @Test
    void portStateAndThresholdFilters() {
        Snapshot s = new Snapshot(1000, flood(), SRC, List.of());
        RemoteQuery q = new RemoteQuery(Grouping.ADDRESS, 80, TcpState.SYN_RECV, 10);
        List<RemoteHostRow> rows = RemoteHostTable.of(s, q);
        // only remotes with SYN_RECV on :80 are rows; 203.0.113.7 (12) is over the threshold, .9 (3) is not
        assertEquals(List.of("203.0.113.7", "203.0.113.9", "2001:db8:1:2::6"), rows.stream().map(RemoteHostRow::label).toList());
        assertEquals(List.of(true, false, false), rows.stream().map(RemoteHostRow::overThreshold).toList());
        assertEquals(List.of("203.0.113.7"), rows.stream().filter(q::selects).map(RemoteHostRow::label).toList());
        assertEquals(13, rows.get(0).total());
        assertEquals(12, rows.get(0).matched());

        List<RemoteHostRow> ssh = RemoteHostTable.of(s, new RemoteQuery(Grouping.ADDRESS, 22, null, 0));
        assertEquals(1, ssh.size());
        assertEquals(1, ssh.get(0).total());
        assertEquals("remotes with at least 10 SYN_RECV connections on local port 80", q.describe());
    }

    @Test
    void networkGroupingUsesSlash24AndSlash64() {
        List<RemoteHostRow> rows = RemoteHostTable.of(new Snapshot(1000, flood(), SRC, List.of()),
                RemoteQuery.all().withGrouping(Grouping.NETWORK));
        assertEquals(List.of("203.0.113.0/24", "198.51.100.0/24", "2001:db8:1:2::/64"), rows.stream().map(RemoteHostRow::label).toList());
        assertEquals(16, rows.get(0).total());
        assertEquals(15, rows.get(0).count(TcpState.SYN_RECV));
        assertEquals(2, rows.get(2).total());
        assertTrue(rows.get(0).isNetwork());
        assertEquals(Addresses.format(a("203.0.113.0")), Addresses.format(rows.get(0).address()));
    }

    @Test
    void newConnectionsPerSecondFromSuccessivePolls() {
        RemoteHostTable t = new RemoteHostTable(Duration.ofSeconds(10));
        List<SocketEntry> base = new ArrayList<>(List.of(listen(80), sock("203.0.113.7", 1, 80, TcpState.ESTABLISHED, null)));
        t.accept(poll(0, base));
        // the first poll is a baseline: what was there already is not "new"
        assertTrue(Double.isNaN(t.rows(RemoteQuery.all()).get(0).newPerSecond()));
        assertEquals(0, t.pendingOpened());
        List<SocketEntry> more = new ArrayList<>(base);
        for (int i = 0; i < 10; i++) more.add(sock("203.0.113.7", 100 + i, 80, TcpState.SYN_RECV, null));
        more.add(sock("198.51.100.4", 7, 22, TcpState.ESTABLISHED, null));
        t.accept(poll(2000, more));
        List<RemoteHostRow> rows = t.rows(RemoteQuery.all());
        assertEquals(5.0, rows.get(0).newPerSecond(), 1e-9); // 10 new in 2 s
        assertEquals(0.5, rows.get(1).newPerSecond(), 1e-9);
        // port filter applies to the rate too
        assertEquals(1, t.rows(new RemoteQuery(Grouping.ADDRESS, 80, null, 0)).size());
        // after the window passes with nothing new, the rate falls to zero
        t.accept(poll(13000, more));
        assertEquals(0.0, t.rows(RemoteQuery.all()).get(0).newPerSecond(), 1e-9);
        assertEquals(0, t.pendingOpened());
    }

    @Test
    void firstSeenIsRememberedWhileTheRemoteStaysActive() {
        RemoteHostTable t = new RemoteHostTable();
        t.accept(poll(1000, List.of(sock("203.0.113.7", 1, 80, TcpState.ESTABLISHED, null))));
        t.accept(poll(2000, List.of(sock("203.0.113.7", 2, 80, TcpState.ESTABLISHED, null))));
        RemoteHostRow r = t.rows(RemoteQuery.all()).get(0);
        assertEquals(1000, r.firstSeenMillis());
        assertEquals(2000, r.lastNewMillis());
    }

    @Test
    void listenAndWildcardRemotesAreNeverRows() {
        assertTrue(RemoteHostTable.of(new Snapshot(1, List.of(listen(80), listen(443)), SRC, List.of()), RemoteQuery.all()).isEmpty());
    }
}
