package io.tcplens.analysis.remote;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/**
 * The remote table's ring of connections opened within the rate window keeps them in order across wrapping,
 * growing and shrinking, as a queue of records did: checked against an {@link ArrayDeque} over a churn that
 * rises to 20,000 entries held and falls back.
 */
class OpenedRingTest {
    private record Entry(long at, InetAddress remote, int port) {}

    @Test
    void keepsTheWindowsEntriesInOrderAsAQueueDoes() throws Exception {
        RemoteHostTable.OpenedRing ring = new RemoteHostTable.OpenedRing();
        ArrayDeque<Entry> ref = new ArrayDeque<>();
        InetAddress[] hosts = new InetAddress[50];
        for (int i = 0; i < hosts.length; i++) hosts[i] = InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) (i + 1)});
        long now = 0;
        int largest = 0;
        for (int poll = 0; poll < 400; poll++) {
            now += 1_000;
            // the opened a poll rises to 2,000 and falls to 7: the window holds up to 20,000
            int opened = poll < 200 ? 10 * poll : Math.max(7, 10 * (400 - poll) - 1_993);
            for (int i = 0; i < opened; i++) {
                Entry e = new Entry(now, hosts[(poll + i) % hosts.length], 1_000 + i % 60_000);
                ring.add(e.at(), e.remote(), e.port());
                ref.add(e);
            }
            long horizon = now - 10_000;
            ring.dropUpTo(horizon);
            while (!ref.isEmpty() && ref.peekFirst().at() <= horizon) ref.pollFirst();
            assertEquals(ref.size(), ring.size(), "poll " + poll);
            int k = 0;
            for (Entry e : ref) {
                assertSame(e.remote(), ring.remote(k), "poll " + poll + ", entry " + k);
                assertEquals(e.port(), ring.localPort(k), "poll " + poll + ", entry " + k);
                k++;
            }
            largest = Math.max(largest, ring.capacity());
        }
        assertTrue(largest >= 16_384, "grew to hold the window: " + largest);
        assertTrue(ring.capacity() <= 1_024, "shrank when the churn fell: " + ring.capacity());
    }
}
