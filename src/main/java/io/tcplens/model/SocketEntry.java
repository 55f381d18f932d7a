package io.tcplens.model;

import java.util.Objects;

/**
 * One row of the kernel's TCP table at one moment. Immutable.
 *
 * @param key              the 4-tuple
 * @param state            the RFC 9293 state
 * @param kernelState      what the kernel called it (e.g. NEW_SYN_RECV), or null when the source cannot tell
 * @param sendQueue        bytes not yet acknowledged (or, for LISTEN, the accept backlog limit), or
 *                         {@link #UNKNOWN_QUEUE} when the source cannot tell (a LISTEN row of /proc or OSHI)
 * @param receiveQueue     bytes not yet read (or, for LISTEN, the current accept queue), or {@link #UNKNOWN_QUEUE}
 * @param timer            pending timer, or null
 * @param timerRemainingMs time left on that timer, or null
 * @param retransmits      unrecovered retransmits / probes
 * @param uid              owning user id, or {@link #UNKNOWN_UID} when the kernel names no owner (TIME_WAIT,
 *                         request sockets) or the source has no uid (OSHI)
 * @param inode            socket inode (0 for TIME_WAIT and request sockets)
 * @param pid              owning process, or null when unknown
 * @param process          owning process name, or null when unknown
 * @param ownerLastKnown   true when pid/process were inherited from an earlier state of the same
 *                         4-tuple (e.g. a TIME_WAIT socket, which no process owns any more)
 * @param lab              true when the socket belongs to a lab run of this TcpLens (a tag set by the
 *                         engine; process names are never rewritten for it)
 * @param cookie           the kernel's socket cookie ({@code idiag_cookie}, what {@code ss -e} prints in hex
 *                         as {@code sk:}), which names one kernel socket for its whole life: a new socket on
 *                         the same 4-tuple has a new cookie. {@link #NO_COOKIE} when the source cannot say
 *                         (/proc, OSHI, SSH, recordings made without it)
 * @param tcpInfo          the kernel's {@code tcp_info} counters (netlink only, full sockets only), or null
 * @param timerDueMillis   when the pending timer is due (epoch ms), or {@link #NO_DUE}: a row that carries its
 *                         timer this way (the netlink source's TIME_WAIT rows) stays the same while only the time
 *                         left moves, so the source gives the same row object at every poll and the tracker keeps
 *                         its tracking. Such a row has no stored {@code timerRemainingMs}: {@link #timerRemainingMs()}
 *                         is the time left now, {@link #timerRemainingMs(long)} the time left at a given moment
 *                         (e.g. the snapshot's)
 */
public record SocketEntry(
        ConnectionKey key,
        TcpState state,
        KernelTcpState kernelState,
        long sendQueue,
        long receiveQueue,
        TimerKind timer,
        Long timerRemainingMs,
        int retransmits,
        int uid,
        long inode,
        Integer pid,
        String process,
        boolean ownerLastKnown,
        boolean lab,
        long cookie,
        TcpInfo tcpInfo,
        long timerDueMillis) {

    /** {@link #timerDueMillis()} of a row that stores its timer's time left (or has no timer). */
    public static final long NO_DUE = Long.MIN_VALUE;

    public SocketEntry {
        if (timerDueMillis != NO_DUE && (timer == null || timerRemainingMs != null))
            throw new IllegalArgumentException("a due time needs a timer and no stored time left");
    }

    /** A row that stores its timer's time left (every source but the netlink one's TIME_WAIT rows). */
    public SocketEntry(ConnectionKey key, TcpState state, KernelTcpState kernelState, long sendQueue, long receiveQueue,
                       TimerKind timer, Long timerRemainingMs, int retransmits, int uid, long inode, Integer pid,
                       String process, boolean ownerLastKnown, boolean lab, long cookie, TcpInfo tcpInfo) {
        this(key, state, kernelState, sendQueue, receiveQueue, timer, timerRemainingMs, retransmits, uid, inode, pid,
                process, ownerLastKnown, lab, cookie, tcpInfo, NO_DUE);
    }

    /**
     * Time left on the timer, or null when none is known. For a row that carries a due time, the time
     * left now (by the wall clock): use {@link #timerRemainingMs(long)} with the snapshot's time where
     * the value must belong to that snapshot.
     */
    @Override
    public Long timerRemainingMs() {
        return timerDueMillis == NO_DUE ? timerRemainingMs : Long.valueOf(Math.max(0, timerDueMillis - System.currentTimeMillis()));
    }

    /** Whether the row knows its timer's time (stored as time left or as a due time). */
    public boolean hasTimerTime() {
        return timerDueMillis != NO_DUE || timerRemainingMs != null;
    }

    /**
     * Time left on the timer at {@code atMillis} (for a row that stores its time left: that value, which
     * belongs to its snapshot's time), or null when none is known.
     */
    public Long timerRemainingMs(long atMillis) {
        return timerDueMillis == NO_DUE ? timerRemainingMs : Long.valueOf(Math.max(0, timerDueMillis - atMillis));
    }

    /**
     * When the timer is due, for a row of a snapshot taken at {@code snapshotMillis} (a row that stores its
     * time left is read as of that time); {@link #NO_DUE} when the row knows no timer time.
     */
    public long timerDueAt(long snapshotMillis) {
        if (timerDueMillis != NO_DUE) return timerDueMillis;
        return timerRemainingMs == null ? NO_DUE : snapshotMillis + timerRemainingMs;
    }

    /**
     * When this TIME_WAIT row entered TIME_WAIT by its timer, for a snapshot taken at {@code snapshotMillis}:
     * its due time less the TIME_WAIT length, at most the snapshot's time (the snapshot's time when the row
     * knows no timer time). A row that carries its due time dates the same entry at every poll.
     */
    public long timeWaitEnteredAt(long snapshotMillis, long timeWaitMillis) {
        long due = timerDueAt(snapshotMillis);
        return due == NO_DUE ? snapshotMillis : Math.min(snapshotMillis, due - timeWaitMillis);
    }

    /** {@link #cookie()} when the source has no socket cookie; the kernel's cookies start at 1. */
    public static final long NO_COOKIE = 0L;

    /** {@link #uid()} when no user owns the socket or the source cannot say; the JSON contract prints null. */
    public static final int UNKNOWN_UID = -1;
    /** {@link #sendQueue()} / {@link #receiveQueue()} when the source cannot say; the JSON contract prints null. */
    public static final long UNKNOWN_QUEUE = -1L;

    public boolean hasUid() {
        return uid >= 0;
    }

    public boolean hasSendQueue() {
        return sendQueue >= 0;
    }

    public boolean hasReceiveQueue() {
        return receiveQueue >= 0;
    }

    /** A row without a cookie or tcp_info (every source but netlink). */
    public SocketEntry(ConnectionKey key, TcpState state, KernelTcpState kernelState, long sendQueue, long receiveQueue,
                       TimerKind timer, Long timerRemainingMs, int retransmits, int uid, long inode, Integer pid,
                       String process, boolean ownerLastKnown, boolean lab) {
        this(key, state, kernelState, sendQueue, receiveQueue, timer, timerRemainingMs, retransmits, uid, inode, pid,
                process, ownerLastKnown, lab, NO_COOKIE, null);
    }

    public boolean hasCookie() {
        return cookie != NO_COOKIE;
    }

    /** The cookie as {@code ss -e} prints it ({@code sk:} in hex), or null when unknown. */
    public String cookieHex() {
        return hasCookie() ? Long.toHexString(cookie) : null;
    }

    /** A row that is not a lab socket. */
    public SocketEntry(ConnectionKey key, TcpState state, KernelTcpState kernelState, long sendQueue, long receiveQueue,
                       TimerKind timer, Long timerRemainingMs, int retransmits, int uid, long inode, Integer pid,
                       String process, boolean ownerLastKnown) {
        this(key, state, kernelState, sendQueue, receiveQueue, timer, timerRemainingMs, retransmits, uid, inode, pid,
                process, ownerLastKnown, false);
    }

    public Endpoint local() {
        return key.local();
    }

    public Endpoint remote() {
        return key.remote();
    }

    /** This row with another owner; this row itself when it already has that owner. */
    public SocketEntry withOwner(Integer newPid, String newProcess, boolean lastKnown) {
        if (lastKnown == ownerLastKnown && Objects.equals(newPid, pid) && Objects.equals(newProcess, process)) return this;
        return new SocketEntry(key, state, kernelState, sendQueue, receiveQueue, timer, timerRemainingMs,
                retransmits, uid, inode, newPid, newProcess, lastKnown, lab, cookie, tcpInfo, timerDueMillis);
    }

    /** This row with other tcp_info (null: none). */
    public SocketEntry withTcpInfo(TcpInfo info) {
        return info == tcpInfo ? this : new SocketEntry(key, state, kernelState, sendQueue, receiveQueue, timer,
                timerRemainingMs, retransmits, uid, inode, pid, process, ownerLastKnown, lab, cookie, info, timerDueMillis);
    }

    /** This row with another timer value stored as time left (recordings store due times instead of remaining ones). */
    public SocketEntry withTimerRemaining(Long ms) {
        return new SocketEntry(key, state, kernelState, sendQueue, receiveQueue, timer, ms, retransmits, uid, inode, pid,
                process, ownerLastKnown, lab, cookie, tcpInfo, NO_DUE);
    }

    /** This row with its timer due at {@code dueMillis} (epoch ms) instead of a stored time left; needs a timer. */
    public SocketEntry withTimerDue(long dueMillis) {
        return dueMillis == timerDueMillis ? this : new SocketEntry(key, state, kernelState, sendQueue, receiveQueue, timer,
                null, retransmits, uid, inode, pid, process, ownerLastKnown, lab, cookie, tcpInfo, dueMillis);
    }

    /** This row tagged (or untagged) as a lab socket. */
    public SocketEntry withLab(boolean isLab) {
        return isLab == lab ? this : new SocketEntry(key, state, kernelState, sendQueue, receiveQueue, timer,
                timerRemainingMs, retransmits, uid, inode, pid, process, ownerLastKnown, isLab, cookie, tcpInfo, timerDueMillis);
    }

    /** Remaining TIME_WAIT time in ms (now, for a row with a due time), or null when this is not a TIME_WAIT socket with a known timer. */
    public Long timeWaitRemainingMs() {
        return state == TcpState.TIME_WAIT ? timerRemainingMs() : null;
    }
}
