package io.tcplens.source.oshi;

import io.tcplens.model.TcpState;
import oshi.software.os.InternetProtocolStats;

/** OSHI's state names mapped to ours. UNKNOWN and NONE (OSHI could not tell) give null: the row is dropped and counted. */
public final class OshiStates {
    private OshiStates() {}

    public static TcpState map(InternetProtocolStats.TcpState s) {
        if (s == null) return null;
        return switch (s) {
            case CLOSED -> TcpState.CLOSED;
            case LISTEN -> TcpState.LISTEN;
            case SYN_SENT -> TcpState.SYN_SENT;
            case SYN_RECV -> TcpState.SYN_RECV;
            case ESTABLISHED -> TcpState.ESTABLISHED;
            case FIN_WAIT_1 -> TcpState.FIN_WAIT1;
            case FIN_WAIT_2 -> TcpState.FIN_WAIT2;
            case CLOSE_WAIT -> TcpState.CLOSE_WAIT;
            case CLOSING -> TcpState.CLOSING;
            case LAST_ACK -> TcpState.LAST_ACK;
            case TIME_WAIT -> TcpState.TIME_WAIT;
            case UNKNOWN, NONE -> null;
        };
    }
}
