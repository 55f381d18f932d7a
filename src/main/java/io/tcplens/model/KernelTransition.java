package io.tcplens.model;

/**
 * One state change the kernel reported for one socket (the {@code sock:inet_sock_set_state}
 * tracepoint), as the event source hands it on. The kernel's own names ({@code CLOSE}, not TIME_WAIT:
 * the tracepoint says FIN_WAIT2 → CLOSE when the TIME_WAIT mini-socket replaces the full socket; the
 * tracker decides, with the table, when that was an entry into TIME_WAIT).
 *
 * @param key       the 4-tuple (the SYN_SENT event of a connect() carries local port 0; the event
 *                  source gives it the port the same socket's next event names)
 * @param socketId  the kernel socket's address (skaddr): one id per socket life; a new socket on the
 *                  same 4-tuple (a TIME_WAIT takeover) has another id. 0 when the event source did not
 *                  keep it (the window's feed: its tracker does not read it)
 * @param from      state before
 * @param to        state after
 * @param atMillis  wall-clock time of the change (the kernel's CLOCK_MONOTONIC, mapped once)
 * @param monoNanos the kernel's CLOCK_MONOTONIC time of the change
 * @param pid       the process that caused it (connect, listen, close), or null when the change came
 *                  from the network (softirq: whatever task was on the CPU is not its owner)
 * @param comm      that process's name, or null
 * @param txBytes   bytes the peer acknowledged ({@code tcp_sock.bytes_acked}) at the change, or
 *                  {@link #UNKNOWN_BYTES} when the event source did not keep it (the window's feed)
 * @param rxBytes   bytes received ({@code tcp_sock.bytes_received}) at the change, or {@link #UNKNOWN_BYTES}
 */
public record KernelTransition(ConnectionKey key, long socketId, KernelTcpState from, KernelTcpState to,
                               long atMillis, long monoNanos, Integer pid, String comm, long txBytes, long rxBytes) {

    /** {@link #txBytes()} and {@link #rxBytes()} of an event whose source did not keep the counters. */
    public static final long UNKNOWN_BYTES = -1;

    /** The socket-life start: a connect() (CLOSE → SYN_SENT) or a child out of its listener (LISTEN → SYN_RECV). */
    public boolean startsLife() {
        return (from == KernelTcpState.CLOSE && to != KernelTcpState.CLOSE) || (from == KernelTcpState.LISTEN
                && to == KernelTcpState.SYN_RECV);
    }

    /** The socket is gone (or replaced by a TIME_WAIT mini-socket). */
    public boolean endsLife() {
        return to == KernelTcpState.CLOSE;
    }

    /** A change into CLOSE that the kernel makes when a TIME_WAIT mini-socket takes the socket's place (or on a reset). */
    public boolean mayEnterTimeWait() {
        return to == KernelTcpState.CLOSE && (from == KernelTcpState.FIN_WAIT2 || from == KernelTcpState.FIN_WAIT1
                || from == KernelTcpState.CLOSING);
    }

    /**
     * {@code k} as event keys are written: no interface index (the tracepoint names none) and a
     * wildcard remote of an IPv4 socket as {@code 0.0.0.0}. Returns {@code k} itself when it already is.
     */
    public static ConnectionKey plainKey(ConnectionKey k) {
        Endpoint l = k.local(), r = k.remote();
        if (l.ifIndex() == 0 && r.ifIndex() == 0) return k;
        return new ConnectionKey(new Endpoint(l.address(), l.port()), new Endpoint(r.address(), r.port()));
    }
}
