package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Search across every column (ConnectionFilter.Search), combined with the other filters. */
class ConnectionSearchTest {
    static final InetAddress REMOTE = InetAddress.ofLiteral("192.0.2.7");
    static final SocketEntry E = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral("10.0.0.1"), 51234),
            new Endpoint(REMOTE, 443)), TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 17, TimerKind.KEEPALIVE, 5000L, 0,
            1000, 998877, 4242, "nginx", false, false, 0x6cdeedL, null);
    static final SocketEntry TW = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral("10.0.0.1"), 40000),
            new Endpoint(InetAddress.ofLiteral("198.51.100.1"), 80)), TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT, 0, 0,
            TimerKind.TIME_WAIT, 30_000L, 0, -1, 0, null, null, false);

    static boolean search(String text, SocketEntry e) {
        Map<InetAddress, String> names = Map.of(REMOTE, "api.example.org");
        return ConnectionFilter.NONE.withSearch(ConnectionFilter.Search.of(text, names::get)).test(e);
    }

    @Test
    void everyColumnIsSearched() {
        for (String hit : new String[] {"nginx", "NGINX", "4242", "established", "10.0.0.1:51234", "192.0.2.7:443", ":443",
                "998877", "1000", "6cdeed", "keepalive", "17", "api.example", "example.org", "nginx :443", "  nginx   443 "})
            assertTrue(search(hit, E), hit);
        for (String miss : new String[] {"curl", "4243", "api.example.com", "nginx :80", "time_wait", "TIME-WAIT"})
            assertFalse(search(miss, E), miss);
        assertTrue(search("TIME-WAIT", TW), "RFC 9293's spelling");
        assertTrue(search("timewait", TW), "the timer as ss names it");
        assertFalse(search("api", TW), "no name resolved for that remote");
        assertTrue(search("", TW), "empty search keeps everything");
    }

    @Test
    void searchCombinesWithTheOtherFiltersAndCounts() throws Exception {
        ConnectionFilter f = ConnectionFilter.parse(Set.of(TcpState.ESTABLISHED), "", "", "")
                .withSearch(ConnectionFilter.Search.of("nginx", a -> null));
        assertTrue(f.test(E));
        assertFalse(f.test(TW));
        assertFalse(f.isEmpty());
        assertTrue(ConnectionFilter.NONE.withSearch(ConnectionFilter.Search.of("  ", a -> null)).isEmpty());
        assertEquals(f, f.withStates(Set.of(TcpState.ESTABLISHED)), "withStates keeps the search");
    }
}
