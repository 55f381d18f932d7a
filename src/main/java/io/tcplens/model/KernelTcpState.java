package io.tcplens.model;

import java.util.Optional;

/**
 * The states Linux reports ({@code include/net/tcp_states.h}), with their numeric codes as they
 * appear in {@code /proc/net/tcp} and sock_diag, each mapped to its RFC 9293 state.
 */
public enum KernelTcpState {
    ESTABLISHED(1, TcpState.ESTABLISHED),
    SYN_SENT(2, TcpState.SYN_SENT),
    SYN_RECV(3, TcpState.SYN_RECV),
    FIN_WAIT1(4, TcpState.FIN_WAIT1),
    FIN_WAIT2(5, TcpState.FIN_WAIT2),
    TIME_WAIT(6, TcpState.TIME_WAIT),
    /** TCP_CLOSE: a socket with no connection (bound, or being torn down). */
    CLOSE(7, TcpState.CLOSED),
    CLOSE_WAIT(8, TcpState.CLOSE_WAIT),
    LAST_ACK(9, TcpState.LAST_ACK),
    LISTEN(10, TcpState.LISTEN),
    CLOSING(11, TcpState.CLOSING),
    /** A request socket (mini-socket) for a handshake in progress: RFC SYN-RECEIVED. */
    NEW_SYN_RECV(12, TcpState.SYN_RECV),
    /** Linux 6.x: a bound socket that is not listening or connected (TCP_BOUND_INACTIVE). */
    BOUND_INACTIVE(13, TcpState.CLOSED);

    private static final KernelTcpState[] BY_CODE = new KernelTcpState[16];
    /**
     * {@link #fromCode}'s answers, made once: it is asked for every socket of every poll and every kernel
     * event, and with C1 only (the launchers) each {@code Optional} was an allocation, 42 MB in two minutes
     * of the window at 100k sockets (7 % of all it allocated).
     */
    @SuppressWarnings("unchecked")
    private static final Optional<KernelTcpState>[] OPTIONAL_BY_CODE = new Optional[16];

    static {
        for (KernelTcpState s : values()) BY_CODE[s.code] = s;
        for (int i = 0; i < BY_CODE.length; i++) OPTIONAL_BY_CODE[i] = Optional.ofNullable(BY_CODE[i]);
    }

    private final int code;
    private final TcpState rfcState;

    KernelTcpState(int code, TcpState rfcState) {
        this.code = code;
        this.rfcState = rfcState;
    }

    public int code() {
        return code;
    }

    public TcpState rfcState() {
        return rfcState;
    }

    public static Optional<KernelTcpState> fromCode(int code) {
        return code >= 0 && code < OPTIONAL_BY_CODE.length ? OPTIONAL_BY_CODE[code] : Optional.empty();
    }
}
