package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointZoneTest {
    @Test
    void theSameLinkLocalTupleOnTwoInterfacesIsTwoKeys() throws Exception {
        InetAddress l = InetAddress.getByName("fe80::77"), r = InetAddress.getByName("fe80::88");
        ConnectionKey a = new ConnectionKey(new Endpoint(l, 8080, 3, "veth0"), new Endpoint(r, 40000, 3, "veth0"));
        ConnectionKey b = new ConnectionKey(new Endpoint(l, 8080, 4, "veth1"), new Endpoint(r, 40000, 4, "veth1"));
        ConnectionKey a2 = new ConnectionKey(new Endpoint(l, 8080, 3, null), new Endpoint(r, 40000, 3, null));
        assertNotEquals(a, b);
        assertNotEquals(0, a.compareTo(b));
        assertEquals(a, a2, "the name is a label of the index, not part of the identity");
        assertEquals(a.hashCode(), a2.hashCode());
        assertEquals(2, new HashSet<>(Set.of(a, b)).size());
    }

    @Test
    void printsTheZoneRfc6874Style() throws Exception {
        Endpoint e = new Endpoint(InetAddress.getByName("fe80::77"), 8080, 3, "veth0");
        assertEquals("[fe80::77%veth0]:8080", e.toString());
        assertEquals("fe80::77%veth0", e.hostWithZone());
        assertEquals("fe80::77", e.host());
        assertEquals("fe80::77%3", new Endpoint(InetAddress.getByName("fe80::77"), 1, 3, null).hostWithZone());
        assertEquals("10.0.0.1%eth0:22", new Endpoint(InetAddress.getByName("10.0.0.1"), 22, 2, "eth0").toString());
        assertEquals("[::1]:80", new Endpoint(InetAddress.getByName("::1"), 80).toString());
    }
}
