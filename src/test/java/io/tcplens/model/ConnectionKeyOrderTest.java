package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** ConnectionKey's packed-long order is exactly the endpoints' order (address unsigned, then port), v4 below v6. */
class ConnectionKeyOrderTest {
    @Property(tries = 2000)
    void packedOrderEqualsEndpointOrder(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        ConnectionKey a = key(r), b = key(r);
        int byEndpoints = a.local().compareTo(b.local());
        if (byEndpoints == 0) byEndpoints = a.remote().compareTo(b.remote());
        assertEquals(Integer.signum(byEndpoints), Integer.signum(a.compareTo(b)), a + " vs " + b);
        assertEquals(-Integer.signum(a.compareTo(b)), Integer.signum(b.compareTo(a)));
    }

    private static ConnectionKey key(Random r) throws Exception {
        return new ConnectionKey(endpoint(r), endpoint(r));
    }

    private static Endpoint endpoint(Random r) throws Exception {
        byte[] b = new byte[r.nextInt(4) == 0 ? 16 : 4];
        // few distinct values, so ties and high-bit (unsigned) addresses both occur
        for (int i = 0; i < b.length; i++) b[i] = (byte) (r.nextBoolean() ? 0 : r.nextBoolean() ? 0xff : 0x7f);
        return new Endpoint(InetAddress.getByAddress(b), r.nextInt(3) * 30_000);
    }
}
