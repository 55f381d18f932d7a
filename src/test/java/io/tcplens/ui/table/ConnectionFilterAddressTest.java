package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 15 item 12, the window's side: the connections filter reads addresses as strictly as the command line. */
class ConnectionFilterAddressTest {
    private static SocketEntry entry(String local, int lport, String remote, int rport) {
        return new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral(local), lport), new Endpoint(InetAddress.ofLiteral(remote), rport)),
                TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 1000, 1, 42, "demo", false);
    }

    private static ConnectionFilter filter(String address) throws ConnectionFilter.InvalidFilterException {
        return ConnectionFilter.parse(Set.of(), "", address, "");
    }

    @Test
    void wildcardsShortFormsMasksAndRangesAreOneClearErrorNotAnException() {
        for (String bad : new String[] {"*", "127.1", "010.1.1.1", "10.0.0.0/255.0.0.0", "10.0.0.1-5", "1.2.3.4/08", "hello"}) {
            ConnectionFilter.InvalidFilterException e = assertThrows(ConnectionFilter.InvalidFilterException.class, () -> filter(bad), bad);
            assertNotNull(e.getMessage(), bad);
            assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void addressesCidrsMappedAddressesAndTheTablesOwnFormMatch() throws Exception {
        SocketEntry v4 = entry("127.0.0.1", 20003, "127.0.0.1", 41000);
        SocketEntry other = entry("10.1.2.3", 22, "10.9.9.9", 50000);
        assertTrue(filter("127.0.0.1").test(v4));
        assertFalse(filter("127.0.0.1").test(other));
        assertTrue(filter("127.0.0.0/8").test(v4));
        assertTrue(filter("::ffff:127.0.0.1").test(v4), "an IPv4-mapped address is the IPv4 address");
        assertTrue(filter("127.0.0.1:20003").test(v4), "the form the table shows");
        assertFalse(filter("127.0.0.1:20004").test(v4));
        assertTrue(filter("10.0.0.0/8").test(other));
        SocketEntry mapped = entry("::ffff:10.1.2.3", 22, "::ffff:10.9.9.9", 50000);
        assertTrue(filter("10.9.9.9").test(mapped), "a socket on a mapped address matches its IPv4 filter");
    }
}
