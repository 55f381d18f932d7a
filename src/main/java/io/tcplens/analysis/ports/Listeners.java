package io.tcplens.analysis.ports;

import io.tcplens.engine.PollResult;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Tells the server side of a connection from the client side: a connection whose local port has a
 * LISTEN socket was accepted (its local port is the service's port, not an ephemeral one).
 * <p>
 * The listening ports are one bit per port (8 KB): a lookup per row is a bit test, not a boxed
 * {@code Integer} in a hash set. Several views ask for the same poll's listeners (aggregates, the
 * TIME_WAIT clock, the advisor, the close rate, port use, on the prepare and the incident threads):
 * {@link #of(Snapshot)} remembers the last poll asked about, so a poll's table of 100k rows is walked once.
 */
public final class Listeners {
    private final long[] bits;
    private final int count;

    /**
     * The last poll asked about and its listeners (immutable, so a racy read sees one or the other whole), with
     * its poll's sequence number when it was asked about as a poll ({@link #NO_SEQUENCE} when not known).
     */
    private record Last(Snapshot snapshot, Listeners listeners, long sequence) {}
    private static final long NO_SEQUENCE = Long.MIN_VALUE;
    private static volatile Last last;

    private Listeners(long[] bits, int count) {
        this.bits = bits;
        this.count = count;
    }

    /**
     * The listeners of a poll's table; the same snapshot asked about again (by identity) is not walked again,
     * nor a poll's whose rows are the last one's list (a snapshot's list is immutable: the tracker publishes the
     * last poll's list again when no row changed, every poll of a table at rest).
     */
    public static Listeners of(Snapshot snapshot) {
        Last l = last;
        if (l != null && (l.snapshot() == snapshot || l.snapshot().sockets() == snapshot.sockets())) return l.listeners();
        Listeners made = of(snapshot.sockets());
        last = new Last(snapshot, made, NO_SEQUENCE);
        return made;
    }

    /**
     * The listeners of a poll's table, as {@link #of(Snapshot)}; and for the poll right after the last one asked
     * about (the next sequence number, its diff from that poll's time, the same source) whose diff opened, closed
     * and moved no LISTEN row, the last poll's listeners without a walk: the tracker's diff lists every row whose
     * key is new or gone and every row whose state changed, so the LISTEN rows' ports are the same. At 100k rows
     * of a steadily churning table (every poll a new list) this was a walk of every row per poll (issue 11).
     */
    public static Listeners of(PollResult r) {
        Snapshot snapshot = r.snapshot();
        Last l = last;
        if (l != null && (l.snapshot() == snapshot || l.snapshot().sockets() == snapshot.sockets())) {
            // known as this poll's from now on (it was asked about as a snapshot first, or the tracker published the
            // same rows again in a new snapshot), so that the next poll can follow it
            if (l.sequence() != r.sequence() || l.snapshot() != snapshot) last = new Last(snapshot, l.listeners(), r.sequence());
            return l.listeners();
        }
        SnapshotDiff d = r.diff();
        if (l != null && l.sequence() != NO_SEQUENCE && r.sequence() == l.sequence() + 1 && r.error() == null
                && d.fromMillis() > 0 && d.fromMillis() == l.snapshot().timestampMillis()
                && Objects.equals(l.snapshot().source(), snapshot.source()) && !movesListen(d)) {
            last = new Last(snapshot, l.listeners(), r.sequence());
            return l.listeners();
        }
        Listeners made = of(snapshot.sockets());
        last = new Last(snapshot, made, r.sequence());
        return made;
    }

    /** Whether a diff opened, closed or moved a LISTEN row (into or out of LISTEN). */
    private static boolean movesListen(SnapshotDiff d) {
        for (SocketEntry e : d.opened()) if (e.state() == TcpState.LISTEN) return true;
        for (SocketEntry e : d.closed()) if (e.state() == TcpState.LISTEN) return true;
        for (StateChange c : d.transitions()) if (c.from() == TcpState.LISTEN || c.to() == TcpState.LISTEN) return true;
        return false;
    }

    /** The listeners of {@code sockets} (walks them). */
    public static Listeners of(Collection<SocketEntry> sockets) {
        long[] b = new long[1024];
        int n = 0;
        for (SocketEntry e : sockets) {
            if (e.state() != TcpState.LISTEN) continue;
            int p = e.local().port() & 0xffff;
            long bit = 1L << p;
            if ((b[p >>> 6] & bit) == 0) {
                b[p >>> 6] |= bit;
                n++;
            }
        }
        return new Listeners(b, n);
    }

    /** Local ports with a listener (ascending). */
    public Set<Integer> ports() {
        Set<Integer> out = new LinkedHashSet<>(Math.max(4, count * 2));
        for (int w = 0; w < bits.length; w++) {
            for (long v = bits[w]; v != 0; v &= v - 1) out.add(w << 6 | Long.numberOfTrailingZeros(v));
        }
        return Collections.unmodifiableSet(out);
    }

    /** True when {@code other} has listeners on the very same local ports (every answer here is then the same). */
    public boolean sameAs(Listeners other) {
        return other == this || (other != null && Arrays.equals(bits, other.bits));
    }

    /** True when some socket listens on local port {@code port}. */
    public boolean listens(int port) {
        return port >= 0 && port < 65536 && (bits[port >>> 6] & (1L << port)) != 0;
    }

    /** True for connections accepted on a listening port (this machine is the server). */
    public boolean isInbound(SocketEntry e) {
        return e.state() != TcpState.LISTEN && listens(e.local().port());
    }

    /** True for connections this machine opened (local port not a listening port, remote not wildcard). */
    public boolean isOutbound(SocketEntry e) {
        return e.state() != TcpState.LISTEN && e.state() != TcpState.CLOSED && e.remote().port() != 0
                && !listens(e.local().port()) && !e.remote().isWildcard();
    }
}
