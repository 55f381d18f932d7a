package io.tcplens.model;

import java.util.Objects;

/**
 * One row of the kernel's TCP table at one moment. Immutable.
 *
 * <p>Its components (a record's accessors, equality and text; it is a class so that a row is 64 bytes, not 96):
 * <ul>
 * <li>{@code key()}: the 4-tuple
 * <li>{@code state()}: the RFC 9293 state
 * <li>{@code kernelState()}: what the kernel called it (e.g. NEW_SYN_RECV), or null when the source cannot tell
 * <li>{@code sendQueue()}: bytes not yet acknowledged (or, for LISTEN, the accept backlog limit), or
 *     {@link #UNKNOWN_QUEUE} when the source cannot tell (a LISTEN row of /proc or OSHI)
 * <li>{@code receiveQueue()}: bytes not yet read (or, for LISTEN, the current accept queue), or {@link #UNKNOWN_QUEUE}
 * <li>{@code timer()}: pending timer, or null
 * <li>{@code timerRemainingMs()}: time left on that timer, or null
 * <li>{@code retransmits()}: unrecovered retransmits / probes
 * <li>{@code uid()}: owning user id, or {@link #UNKNOWN_UID} when the kernel names no owner (TIME_WAIT,
 *     request sockets) or the source has no uid (OSHI)
 * <li>{@code inode()}: socket inode (0 for TIME_WAIT and request sockets)
 * <li>{@code pid()}: owning process, or null when unknown
 * <li>{@code process()}: owning process name, or null when unknown
 * <li>{@code ownerLastKnown()}: true when pid/process were inherited from an earlier state of the same
 *     4-tuple (e.g. a TIME_WAIT socket, which no process owns any more)
 * <li>{@code lab()}: true when the socket belongs to a lab run of this TcpLens (a tag set by the
 *     engine; process names are never rewritten for it)
 * <li>{@code cookie()}: the kernel's socket cookie ({@code idiag_cookie}, what {@code ss -e} prints in hex
 *     as {@code sk:}), which names one kernel socket for its whole life: a new socket on
 *     the same 4-tuple has a new cookie. {@link #NO_COOKIE} when the source cannot say
 *     (/proc, OSHI, SSH, recordings made without it)
 * <li>{@code tcpInfo()}: the kernel's {@code tcp_info} counters (netlink only, full sockets only), or null
 * <li>{@code timerDueMillis()}: when the pending timer is due (epoch ms), or {@link #NO_DUE}: a row that carries its
 *     timer this way (the netlink source's TIME_WAIT rows) stays the same while only the time
 *     left moves, so the source gives the same row object at every poll and the tracker keeps
 *     its tracking. Such a row has no stored {@code timerRemainingMs}: {@link #timerRemainingMs()}
 *     is the time left now, {@link #timerRemainingMs(long)} the time left at a given moment
 *     (e.g. the snapshot's)
 * </ul>
 */
public final class SocketEntry {
    /*
     * A record's components, held in 64 bytes instead of a record's 96 (one per socket in every consumer's
     * rows): the queues and inode (the kernel's u32 fields) in ints, the timer's time left or due time in one
     * long (no Long box per row), the three enums, two flags, the "unknown" marks and the retransmits packed
     * in one int. The pid stays a reference: the owner resolver shares one Integer per process.
     */
    private final ConnectionKey key;
    private final Integer pid;
    private final String process;
    private final TcpInfo tcpInfo;
    private final long cookie;
    /** The stored time left, or the due time, or 0 ({@link #TIMER_MODE} says which). */
    private final long timerValue;
    /** The u32 fields' bits (read back unsigned); a queue marked unknown holds 0. */
    private final int sendQueue, receiveQueue, inode;
    private final int uid;
    /** state, kernelState + 1, timer + 1, the flags, the timer's mode and the retransmits ({@link #RETRANSMITS_SHIFT}). */
    private final int packed;

    private static final TcpState[] STATES = TcpState.values();
    private static final KernelTcpState[] KERNEL_STATES = KernelTcpState.values();
    private static final TimerKind[] TIMERS = TimerKind.values();
    private static final int STATE_MASK = 0xF, KERNEL_SHIFT = 4, KERNEL_MASK = 0xF, TIMER_SHIFT = 8, TIMER_MASK = 0x7;
    private static final int OWNER_LAST_KNOWN = 1 << 11, LAB = 1 << 12, SEND_UNKNOWN = 1 << 13, RECEIVE_UNKNOWN = 1 << 14;
    private static final int TIMER_MODE = 3 << 15, REMAINING_STORED = 1 << 15, DUE = 2 << 15;
    private static final int RETRANSMITS_SHIFT = 17;
    /** The largest {@link #retransmits()} a row holds (the kernel's counter is a u8). */
    public static final int MAX_RETRANSMITS = (1 << (32 - RETRANSMITS_SHIFT)) - 1;
    /** The largest queue or inode a row holds: the kernel's fields are u32. */
    public static final long MAX_U32 = 0xFFFF_FFFFL;

    static {
        if (STATES.length > STATE_MASK + 1 || KERNEL_STATES.length > KERNEL_MASK || TIMERS.length > TIMER_MASK)
            throw new ExceptionInInitializerError("SocketEntry's packed enums do not fit");
    }

    /**
     * The canonical constructor.
     *
     * @throws IllegalArgumentException when a due time comes with no timer or with a stored time left, when
     *                                  a queue is neither {@link #UNKNOWN_QUEUE} nor in [0, 2^32), the inode
     *                                  not in [0, 2^32), or the retransmits not in [0, {@link #MAX_RETRANSMITS}]
     */
    public SocketEntry(ConnectionKey key, TcpState state, KernelTcpState kernelState, long sendQueue, long receiveQueue,
                       TimerKind timer, Long timerRemainingMs, int retransmits, int uid, long inode, Integer pid,
                       String process, boolean ownerLastKnown, boolean lab, long cookie, TcpInfo tcpInfo,
                       long timerDueMillis) {
        if (timerDueMillis != NO_DUE && (timer == null || timerRemainingMs != null))
            throw new IllegalArgumentException("a due time needs a timer and no stored time left");
        if (retransmits < 0 || retransmits > MAX_RETRANSMITS)
            throw new IllegalArgumentException("retransmits out of range (0…" + MAX_RETRANSMITS + "): " + retransmits);
        if (inode < 0 || inode > MAX_U32) throw new IllegalArgumentException("inode is a u32: " + inode);
        this.key = key;
        this.pid = pid;
        this.process = process;
        this.tcpInfo = tcpInfo;
        this.cookie = cookie;
        this.sendQueue = queue("send queue", sendQueue);
        this.receiveQueue = queue("receive queue", receiveQueue);
        this.inode = (int) inode;
        this.uid = uid;
        int mode = timerDueMillis != NO_DUE ? DUE : timerRemainingMs != null ? REMAINING_STORED : 0;
        this.timerValue = mode == DUE ? timerDueMillis : mode == REMAINING_STORED ? timerRemainingMs : 0;
        this.packed = (state == null ? STATE_MASK : state.ordinal())
                | (kernelState == null ? 0 : kernelState.ordinal() + 1) << KERNEL_SHIFT
                | (timer == null ? 0 : timer.ordinal() + 1) << TIMER_SHIFT
                | (ownerLastKnown ? OWNER_LAST_KNOWN : 0) | (lab ? LAB : 0)
                | (sendQueue == UNKNOWN_QUEUE ? SEND_UNKNOWN : 0) | (receiveQueue == UNKNOWN_QUEUE ? RECEIVE_UNKNOWN : 0)
                | mode | retransmits << RETRANSMITS_SHIFT;
    }

    /** A copy of {@code r} with these owner, tcp_info, timer value and packed fields (checked by the caller). */
    private SocketEntry(SocketEntry r, Integer pid, String process, TcpInfo tcpInfo, long timerValue, int packed) {
        this.key = r.key;
        this.pid = pid;
        this.process = process;
        this.tcpInfo = tcpInfo;
        this.cookie = r.cookie;
        this.timerValue = timerValue;
        this.sendQueue = r.sendQueue;
        this.receiveQueue = r.receiveQueue;
        this.inode = r.inode;
        this.uid = r.uid;
        this.packed = packed;
    }

    private static int queue(String name, long v) {
        if (v == UNKNOWN_QUEUE) return 0;
        if (v < 0 || v > MAX_U32) throw new IllegalArgumentException(name + " is a u32 (or UNKNOWN_QUEUE): " + v);
        return (int) v;
    }

    public ConnectionKey key() {
        return key;
    }

    /** The RFC 9293 state (null only when the row was made with none). */
    public TcpState state() {
        int s = packed & STATE_MASK;
        return s == STATE_MASK ? null : STATES[s];
    }

    /** What the kernel called the state (e.g. NEW_SYN_RECV), or null when the source cannot tell. */
    public KernelTcpState kernelState() {
        int k = (packed >>> KERNEL_SHIFT) & KERNEL_MASK;
        return k == 0 ? null : KERNEL_STATES[k - 1];
    }

    public long sendQueue() {
        return (packed & SEND_UNKNOWN) != 0 ? UNKNOWN_QUEUE : Integer.toUnsignedLong(sendQueue);
    }

    public long receiveQueue() {
        return (packed & RECEIVE_UNKNOWN) != 0 ? UNKNOWN_QUEUE : Integer.toUnsignedLong(receiveQueue);
    }

    /** The pending timer, or null. */
    public TimerKind timer() {
        int t = (packed >>> TIMER_SHIFT) & TIMER_MASK;
        return t == 0 ? null : TIMERS[t - 1];
    }

    public int retransmits() {
        return packed >>> RETRANSMITS_SHIFT;
    }

    public int uid() {
        return uid;
    }

    public long inode() {
        return Integer.toUnsignedLong(inode);
    }

    public Integer pid() {
        return pid;
    }

    public String process() {
        return process;
    }

    public boolean ownerLastKnown() {
        return (packed & OWNER_LAST_KNOWN) != 0;
    }

    public boolean lab() {
        return (packed & LAB) != 0;
    }

    public long cookie() {
        return cookie;
    }

    public TcpInfo tcpInfo() {
        return tcpInfo;
    }

    /** When the pending timer is due (epoch ms), or {@link #NO_DUE} for a row that stores its time left (or has no timer). */
    public long timerDueMillis() {
        return (packed & TIMER_MODE) == DUE ? timerValue : NO_DUE;
    }

    /** The stored time left (a record's {@code timerRemainingMs} component): null for a row with a due time or no timer time. */
    private Long storedRemaining() {
        return (packed & TIMER_MODE) == REMAINING_STORED ? Long.valueOf(timerValue) : null;
    }

    /** As a record's: every component equal. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SocketEntry e && e.packed == packed && e.timerValue == timerValue
                && e.cookie == cookie && e.sendQueue == sendQueue && e.receiveQueue == receiveQueue && e.inode == inode
                && e.uid == uid && Objects.equals(e.key, key) && Objects.equals(e.pid, pid)
                && Objects.equals(e.process, process) && Objects.equals(e.tcpInfo, tcpInfo);
    }

    /** As a record's: the components' hashes combined by 31 in their order. */
    @Override
    public int hashCode() {
        int h = Objects.hashCode(key);
        h = 31 * h + Objects.hashCode(state());
        h = 31 * h + Objects.hashCode(kernelState());
        h = 31 * h + Long.hashCode(sendQueue());
        h = 31 * h + Long.hashCode(receiveQueue());
        h = 31 * h + Objects.hashCode(timer());
        h = 31 * h + ((packed & TIMER_MODE) == REMAINING_STORED ? Long.hashCode(timerValue) : 0);
        h = 31 * h + Integer.hashCode(retransmits());
        h = 31 * h + Integer.hashCode(uid);
        h = 31 * h + Long.hashCode(inode());
        h = 31 * h + Objects.hashCode(pid);
        h = 31 * h + Objects.hashCode(process);
        h = 31 * h + Boolean.hashCode(ownerLastKnown());
        h = 31 * h + Boolean.hashCode(lab());
        h = 31 * h + Long.hashCode(cookie);
        h = 31 * h + Objects.hashCode(tcpInfo);
        return 31 * h + Long.hashCode(timerDueMillis());
    }

    /** As a record's: {@code SocketEntry[key=…, state=…, …, timerDueMillis=…]} (the stored time left as {@code timerRemainingMs}). */
    @Override
    public String toString() {
        return "SocketEntry[key=" + key + ", state=" + state() + ", kernelState=" + kernelState() + ", sendQueue=" + sendQueue()
                + ", receiveQueue=" + receiveQueue() + ", timer=" + timer() + ", timerRemainingMs=" + storedRemaining()
                + ", retransmits=" + retransmits() + ", uid=" + uid + ", inode=" + inode() + ", pid=" + pid + ", process=" + process
                + ", ownerLastKnown=" + ownerLastKnown() + ", lab=" + lab() + ", cookie=" + cookie + ", tcpInfo=" + tcpInfo
                + ", timerDueMillis=" + timerDueMillis() + "]";
    }

    /** {@link #timerDueMillis()} of a row that stores its timer's time left (or has no timer). */
    public static final long NO_DUE = Long.MIN_VALUE;

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
    public Long timerRemainingMs() {
        return timerRemainingMs(System.currentTimeMillis());
    }

    /** Whether the row knows its timer's time (stored as time left or as a due time). */
    public boolean hasTimerTime() {
        return (packed & TIMER_MODE) != 0;
    }

    /**
     * Time left on the timer at {@code atMillis} (for a row that stores its time left: that value, which
     * belongs to its snapshot's time), or null when none is known.
     */
    public Long timerRemainingMs(long atMillis) {
        return (packed & TIMER_MODE) == DUE ? Long.valueOf(Math.max(0, timerValue - atMillis)) : storedRemaining();
    }

    /**
     * As {@link #timerRemainingMs(long)} with no box: the time left on the timer at {@code atMillis}, or
     * {@link #NO_DUE} when the row knows no timer time ({@link #hasTimerTime()} false). For walks over every
     * TIME_WAIT row of a poll (a {@code Long} per row, issue 11).
     */
    public long timerRemainingMillis(long atMillis) {
        int mode = packed & TIMER_MODE;
        return mode == DUE ? Math.max(0, timerValue - atMillis) : mode == REMAINING_STORED ? timerValue : NO_DUE;
    }

    /**
     * When the timer is due, for a row of a snapshot taken at {@code snapshotMillis} (a row that stores its
     * time left is read as of that time); {@link #NO_DUE} when the row knows no timer time.
     */
    public long timerDueAt(long snapshotMillis) {
        int mode = packed & TIMER_MODE;
        return mode == DUE ? timerValue : mode == REMAINING_STORED ? snapshotMillis + timerValue : NO_DUE;
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
        return (packed & SEND_UNKNOWN) == 0;
    }

    public boolean hasReceiveQueue() {
        return (packed & RECEIVE_UNKNOWN) == 0;
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
        if (lastKnown == ownerLastKnown() && Objects.equals(newPid, pid) && Objects.equals(newProcess, process)) return this;
        return new SocketEntry(this, newPid, newProcess, tcpInfo, timerValue,
                (packed & ~OWNER_LAST_KNOWN) | (lastKnown ? OWNER_LAST_KNOWN : 0));
    }

    /** This row with other tcp_info (null: none). */
    public SocketEntry withTcpInfo(TcpInfo info) {
        return info == tcpInfo ? this : new SocketEntry(this, pid, process, info, timerValue, packed);
    }

    /** This row with another timer value stored as time left (recordings store due times instead of remaining ones). */
    public SocketEntry withTimerRemaining(Long ms) {
        return new SocketEntry(this, pid, process, tcpInfo, ms == null ? 0 : ms,
                (packed & ~TIMER_MODE) | (ms == null ? 0 : REMAINING_STORED));
    }

    /** This row with its timer due at {@code dueMillis} (epoch ms) instead of a stored time left; needs a timer. */
    public SocketEntry withTimerDue(long dueMillis) {
        if (dueMillis == timerDueMillis()) return this;
        if (dueMillis != NO_DUE && timer() == null) throw new IllegalArgumentException("a due time needs a timer and no stored time left");
        return new SocketEntry(this, pid, process, tcpInfo, dueMillis == NO_DUE ? 0 : dueMillis,
                (packed & ~TIMER_MODE) | (dueMillis == NO_DUE ? 0 : DUE));
    }

    /** This row tagged (or untagged) as a lab socket. */
    public SocketEntry withLab(boolean isLab) {
        return isLab == lab() ? this : new SocketEntry(this, pid, process, tcpInfo, timerValue, (packed & ~LAB) | (isLab ? LAB : 0));
    }

    /** Remaining TIME_WAIT time in ms (now, for a row with a due time), or null when this is not a TIME_WAIT socket with a known timer. */
    public Long timeWaitRemainingMs() {
        return state() == TcpState.TIME_WAIT ? timerRemainingMs() : null;
    }
}
