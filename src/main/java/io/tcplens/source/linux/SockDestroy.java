package io.tcplens.source.linux;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.source.SourceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Closes one TCP connection the way {@code ss -K} does: sock_diag {@code SOCK_DESTROY} for the
 * socket's exact 4-tuple and cookie, through the same FFM netlink socket as {@link NetlinkSource}.
 * The kernel aborts the socket (tcp_abort: the peer gets a RST, the owner's next call fails with
 * ECONNABORTED). Acts in the network namespace of the calling thread.
 *
 * <p>First an exact sock_diag lookup of the 4-tuple: the kernel's lookup falls back to a listener
 * when no connection matches (it looks the tuple up as an incoming packet would), so the socket it
 * found is checked to be the one asked for — same 4-tuple, and the same cookie when the row has
 * one. Then {@code SOCK_DESTROY} with that socket's cookie, which the kernel checks again: a
 * connection that was replaced in between (same 4-tuple, new socket) is never closed by mistake.
 */
public final class SockDestroy {
    static final int SOCK_DESTROY = 21;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int TIMEOUT_MS = 2_000;
    static final int EPERM = 1, ENOENT = 2, EOPNOTSUPP = 95, ESTALE = 116;

    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private SockDestroy() {}

    /** What the kernel said. */
    public enum Status {
        /** The socket was destroyed. */
        CLOSED,
        /** No socket with this 4-tuple any more (it closed by itself). */
        GONE,
        /** The 4-tuple now belongs to a newer socket than the row shows (another cookie): left alone. */
        REPLACED,
        /** EPERM: the caller lacks CAP_NET_ADMIN in the socket's network namespace. */
        NO_PERMISSION,
        /** EOPNOTSUPP: the kernel was built without CONFIG_INET_DIAG_DESTROY. */
        NOT_SUPPORTED,
        /** Another error; see the detail. */
        FAILED
    }

    /** @param detail the errno or failure in words, for the log line; empty when closed */
    public record Result(Status status, String detail, long cookie) {}

    /** Looks the connection up and destroys it (see the class comment). Never throws for a kernel refusal. */
    public static Result destroy(SocketEntry e) {
        NetlinkSocket s;
        try {
            s = NetlinkSocket.open(TIMEOUT_MS);
        } catch (NetlinkSocket.NativeCallException ex) {
            return new Result(Status.FAILED, "cannot open a netlink sock_diag socket: " + ex.getMessage(), 0);
        } catch (RuntimeException | LinkageError ex) {
            return new Result(Status.FAILED, "cannot call libc through the Foreign Function API: " + ex.getMessage(), 0);
        }
        try (s; Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(NetlinkSource.BUFFER_BYTES, 8);
            MemorySegment request = arena.allocate(NetlinkSource.REQUEST_LEN, 8);
            MemorySegment callState = NetlinkSocket.allocateCallState(arena);
            int family = e.local().address() instanceof Inet4Address ? InetDiagParser.AF_INET : InetDiagParser.AF_INET6;

            // 1. which socket has this 4-tuple now
            fill(request, InetDiagParser.SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 1, family, e.key(), NO_COOKIE);
            s.send(request, NetlinkSource.REQUEST_LEN, arena);
            InetDiagParser.Dump found = new InetDiagParser.Dump();
            InetDiagParser parser = new InetDiagParser(16);
            for (int i = 0; i < 8 && found.sockets.isEmpty() && !found.done; i++)
                parser.parse(buffer, s.receive(buffer, callState), 1, found);
            if (found.kernelErrno == ENOENT) return new Result(Status.GONE, "", 0);
            if (found.kernelErrno != 0) return refusal(found.kernelErrno, 0);
            SocketEntry now = found.sockets.stream().filter(x -> sameTuple(x.key(), e.key())).findFirst().orElse(null);
            if (now == null) return new Result(Status.GONE, "", 0); // the lookup fell back to a listener
            if (e.hasCookie() && now.hasCookie() && now.cookie() != e.cookie())
                return new Result(Status.REPLACED, "cookie " + now.cookieHex() + " instead of " + e.cookieHex(), now.cookie());
            long cookie = now.hasCookie() ? now.cookie() : NO_COOKIE;

            // 2. destroy exactly that socket
            fill(request, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, 2, family, e.key(), cookie);
            s.send(request, NetlinkSource.REQUEST_LEN, arena);
            for (int i = 0; i < 8; i++) {
                long n = s.receive(buffer, callState);
                int err = ack(buffer, n, 2);
                if (err == Integer.MIN_VALUE) continue; // not our answer
                if (err == 0) return new Result(Status.CLOSED, "", cookie);
                if (err == ENOENT) return new Result(Status.GONE, "", cookie);
                if (err == ESTALE) return new Result(Status.REPLACED, "the kernel's cookie check failed", cookie);
                return refusal(err, cookie);
            }
            return new Result(Status.FAILED, "the kernel did not acknowledge SOCK_DESTROY", cookie);
        } catch (NetlinkSocket.NativeCallException ex) {
            return new Result(Status.FAILED, ex.getMessage(), 0);
        } catch (SourceException | RuntimeException ex) {
            return new Result(Status.FAILED, String.valueOf(ex.getMessage()), 0);
        }
    }

    private static Result refusal(int errno, long cookie) {
        Status st = switch (errno) {
            case EPERM, 13 -> Status.NO_PERMISSION; // EACCES from an LSM is the same answer for a person
            case EOPNOTSUPP -> Status.NOT_SUPPORTED;
            default -> Status.FAILED;
        };
        return new Result(st, NetlinkSocket.errnoName(errno), cookie);
    }

    /** Compares addresses, ports and interface: the lookup may return a listener (remote *:0). */
    private static boolean sameTuple(ConnectionKey a, ConnectionKey b) {
        return same(a.local(), b.local()) && same(a.remote(), b.remote());
    }

    private static boolean same(Endpoint a, Endpoint b) {
        return a.address().equals(b.address()) && a.port() == b.port();
    }

    /** INET_DIAG_NOCOOKIE in both halves: the kernel skips the cookie check. */
    static final long NO_COOKIE = -1L;

    /** nlmsghdr + inet_diag_req_v2 naming one socket: 4-tuple (network order), interface, cookie. */
    static void fill(MemorySegment m, int type, int flags, int seq, int family, ConnectionKey key, long cookie) {
        m.fill((byte) 0);
        m.set(HOST_INT, 0, NetlinkSource.REQUEST_LEN);
        m.set(HOST_SHORT, 4, (short) type);
        m.set(HOST_SHORT, 6, (short) flags);
        m.set(HOST_INT, 8, seq);
        m.set(ValueLayout.JAVA_BYTE, 16, (byte) family);
        m.set(ValueLayout.JAVA_BYTE, 17, (byte) NetlinkSource.IPPROTO_TCP);
        m.set(HOST_INT, 20, NetlinkSource.ALL_STATES);
        m.set(NET_SHORT, 24, (short) key.local().port());
        m.set(NET_SHORT, 26, (short) key.remote().port());
        address(m, 28, key.local(), family);
        address(m, 44, key.remote(), family);
        int ifIndex = key.local().ifIndex() != 0 ? key.local().ifIndex() : key.remote().ifIndex();
        m.set(HOST_INT, 60, ifIndex);
        m.set(HOST_INT, 64, (int) cookie);
        m.set(HOST_INT, 68, (int) (cookie >>> 32));
    }

    private static void address(MemorySegment m, long at, Endpoint e, int family) {
        byte[] a = e.address().getAddress();
        if (family == InetDiagParser.AF_INET && a.length == 16) a = Arrays.copyOfRange(a, 12, 16);
        MemorySegment.copy(MemorySegment.ofArray(a), 0, m, at, a.length);
    }

    /** The error of an NLMSG_ERROR for {@code seq} in the datagram (0 = acknowledged), or MIN_VALUE when there is none. */
    private static int ack(MemorySegment m, long n, int seq) {
        long off = 0;
        while (off + InetDiagParser.NLMSG_HDRLEN <= n) {
            long len = Integer.toUnsignedLong(m.get(HOST_INT, off));
            int type = m.get(HOST_SHORT, off + 4) & 0xFFFF;
            int msgSeq = m.get(HOST_INT, off + 8);
            if (len < InetDiagParser.NLMSG_HDRLEN || off + len > n) return Integer.MIN_VALUE;
            if (type == InetDiagParser.NLMSG_ERROR && msgSeq == seq && len >= InetDiagParser.NLMSG_HDRLEN + 4) {
                int err = m.get(HOST_INT, off + InetDiagParser.NLMSG_HDRLEN);
                return err < 0 ? -err : err;
            }
            off += (len + 3) & ~3L;
        }
        return Integer.MIN_VALUE;
    }
}
