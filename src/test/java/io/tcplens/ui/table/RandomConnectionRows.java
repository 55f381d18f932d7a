package io.tcplens.ui.table;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** A table of {@code n} random rows for the sort tests: distinct keys over {@code addrs}, every state, some timers. */
final class RandomConnectionRows {
    private RandomConnectionRows() {
    }

    /** Each row's flags are one of {@code kinds}, drawn at random. */
    static ConnectionRows of(Random rnd, int n, InetAddress[] addrs, byte[] kinds) {
        TcpState[] states = TcpState.values();
        long pollTime = 1_000_000;
        SocketEntry[] entries = new SocketEntry[n];
        long[] since = new long[n];
        byte[] flags = new byte[n];
        Set<ConnectionKey> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ConnectionKey key;
            do {
                key = new ConnectionKey(new Endpoint(addrs[rnd.nextInt(addrs.length)], rnd.nextInt(65_536)),
                        new Endpoint(addrs[rnd.nextInt(addrs.length)], rnd.nextInt(8) == 0 ? rnd.nextInt(65_536) : 443));
            } while (!keys.add(key));
            TcpState s = states[rnd.nextInt(states.length)];
            boolean tw = s == TcpState.TIME_WAIT && rnd.nextBoolean();
            entries[i] = new SocketEntry(key, s, null, rnd.nextInt(50) - 1, rnd.nextInt(5) - 1,
                    tw ? TimerKind.TIME_WAIT : null, tw ? (long) rnd.nextInt(60_000) : null, 0, rnd.nextInt(3) - 1,
                    i, null, null, false);
            since[i] = pollTime - rnd.nextInt(100_000);
            flags[i] = kinds[rnd.nextInt(kinds.length)];
        }
        return new ConnectionRows(entries, since, flags, null, n, pollTime, SocketHolders.NONE);
    }

    /** {@link #of} with the closed rows after the live ones in the arrays, as the table's model makes them. */
    static ConnectionRows closedLast(Random rnd, int n, InetAddress[] addrs, byte[] kinds) {
        ConnectionRows mixed = of(rnd, n, addrs, kinds);
        SocketEntry[] entries = new SocketEntry[n];
        long[] since = new long[n];
        byte[] flags = new byte[n];
        int at = 0;
        for (boolean closed : new boolean[] {false, true}) {
            for (int k = 0; k < n; k++) {
                if (mixed.closed(k) != closed) continue;
                entries[at] = mixed.entry(k);
                since[at] = closed ? 1_000_000 : 1_000_000 - mixed.timeInState(k);
                flags[at++] = closed ? ConnectionRows.CLOSED : 0;
            }
        }
        return new ConnectionRows(entries, since, flags, null, n, 1_000_000, SocketHolders.NONE);
    }
}
