package io.tcplens.ui.tiles;

import io.tcplens.model.TcpState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The tiles of the header strip: a state or a group of related states, with a default warning threshold. */
public enum StateGroup {
    ESTABLISHED(EnumSet.of(TcpState.ESTABLISHED), TcpState.ESTABLISHED, 0),
    TIME_WAIT(EnumSet.of(TcpState.TIME_WAIT), TcpState.TIME_WAIT, 10_000),
    CLOSE_WAIT(EnumSet.of(TcpState.CLOSE_WAIT), TcpState.CLOSE_WAIT, 100),
    SYN_RECV(EnumSet.of(TcpState.SYN_RECV), TcpState.SYN_RECV, 256),
    SYN_SENT(EnumSet.of(TcpState.SYN_SENT), TcpState.SYN_SENT, 100),
    FIN_WAIT(EnumSet.of(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2), TcpState.FIN_WAIT2, 1_000),
    LAST_ACK_CLOSING(EnumSet.of(TcpState.LAST_ACK, TcpState.CLOSING), TcpState.LAST_ACK, 1_000),
    LISTEN(EnumSet.of(TcpState.LISTEN), TcpState.LISTEN, 0),
    TOTAL(EnumSet.allOf(TcpState.class), null, 0);

    private final Set<TcpState> states;
    private final TcpState colourState;
    private final int defaultThreshold;

    StateGroup(Set<TcpState> states, TcpState colourState, int defaultThreshold) {
        this.states = states;
        this.colourState = colourState;
        this.defaultThreshold = defaultThreshold;
    }

    public Set<TcpState> states() {
        return states;
    }

    /** The state whose palette colour the tile uses; null for the total. */
    public TcpState colourState() {
        return colourState;
    }

    /** Default warning threshold; 0 = no warning. */
    public int defaultThreshold() {
        return defaultThreshold;
    }

    public int count(Map<TcpState, Integer> counts) {
        int n = 0;
        for (TcpState s : states) n += counts.getOrDefault(s, 0);
        return n;
    }

    /** Whether {@code count} is above a threshold (0 = never). */
    public static boolean exceeds(int count, int threshold) {
        return threshold > 0 && count > threshold;
    }
}
