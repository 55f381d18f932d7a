package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A socket's events share one key object (and process name); keys stay what a fresh parse makes. */
class EventLineKeysTest {
    static EventLine.Event event(long ns, int from, int to, int sport, String src, int dport, String dst, String comm) {
        String line = "{\"type\": \"printf\", \"data\": \"E " + ns + " ffff8880" + Integer.toHexString(sport) + " " + from + " " + to + " "
                + sport + " " + dport + " " + src + " " + dst + " 4242 0 0 " + comm + "\\n\"}";
        return (EventLine.Event) EventLine.parse(line);
    }

    @Test
    void eventsOfOneSocketShareTheirKey() throws Exception {
        // connect, established, then the active close (SYN_SENT=2, ESTABLISHED=1, FIN_WAIT1=4, FIN_WAIT2=5, CLOSE=7)
        EventLine.Event a = event(1, 7, 2, 40_001, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.2", "curl");
        EventLine.Event b = event(2, 2, 1, 40_001, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.2", "curl");
        EventLine.Event c = event(3, 1, 4, 40_001, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.2", "curl");
        assertSame(a.key(), b.key());
        assertSame(a.key(), c.key());
        assertSame(a.comm(), c.comm());
        ConnectionKey fresh = new ConnectionKey(new Endpoint(InetAddress.getByName("127.0.0.1"), 40_001),
                new Endpoint(InetAddress.getByName("127.0.0.2"), 8080));
        assertEquals(fresh, a.key());
        assertEquals(0, a.key().local().ifIndex());

        // another port, another address, another direction: other keys, each equal to a fresh one
        EventLine.Event d = event(4, 7, 2, 40_002, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.2", "curl");
        EventLine.Event e = event(5, 7, 2, 40_001, "::ffff:127.0.0.3", 8080, "::ffff:127.0.0.2", "curl");
        EventLine.Event f = event(6, 10, 3, 8080, "::ffff:127.0.0.2", 40_001, "::ffff:127.0.0.1", "curl");
        assertNotEquals(a.key(), d.key());
        assertEquals(40_002, d.key().local().port());
        assertEquals(InetAddress.getByName("127.0.0.3"), e.key().local().address());
        assertEquals(new ConnectionKey(fresh.remote(), fresh.local()), f.key());
    }
}
