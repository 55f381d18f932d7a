package io.tcplens.source.linux;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TimerKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code /proc/net/tcp} and {@code /proc/net/tcp6} (format of net/ipv4/tcp_ipv4.c
 * {@code tcp4_seq_show}). Addresses are the kernel's network-order bytes printed as host-order
 * 32-bit words; timer times are in USER_HZ ticks. Malformed lines are skipped and counted.
 *
 * <p>What the file cannot tell, and how the rows say so:
 * <ul>
 * <li>A request socket (the kernel's NEW_SYN_RECV) is printed with state SYN_RECV like a full
 *     socket, but by {@code get_openreq4/6} with a reference count of 0 (column 11), which a full
 *     socket never has: such a row gets kernelState {@link KernelTcpState#NEW_SYN_RECV}.</li>
 * <li>The uid column of a request socket is its listener's, and of a TIME_WAIT socket 0, though no
 *     user owns either: both get {@link SocketEntry#UNKNOWN_UID}, as on netlink.</li>
 * <li>A listener's tx_queue column is 0, not its backlog limit (the file has no backlog column): its
 *     send queue is {@link SocketEntry#UNKNOWN_QUEUE}.</li>
 * <li>There is no interface column: a link-local endpoint has no zone (index 0), so the same
 *     link-local 4-tuple on two interfaces gives two rows with one key.</li>
 * <li>Bound-only sockets (no listen(), no connect()) are in no table this file walks.</li>
 * </ul>
 */
public final class ProcNetTcpParser {
    private static final InetAddress ANY4 = Addresses.fromBytes(new byte[4]);
    private final long millisPerTick;
    /** Addresses repeat a lot (one local address, few remotes): interning keeps 100k rows cheap. */
    private final Map<String, InetAddress> addressCache = new HashMap<>();

    /** @param userHz the kernel's USER_HZ (100 on every mainstream Linux) */
    public ProcNetTcpParser(int userHz) {
        this.millisPerTick = 1000L / userHz;
    }

    public ProcNetTcpParser() {
        this(100);
    }

    /** The rows parsed from one file, and the lines that could not be read. */
    public record Result(List<SocketEntry> sockets, List<String> malformed) {}

    public Result parse(BufferedReader in) throws IOException {
        List<SocketEntry> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        String line = in.readLine(); // header
        if (addressCache.size() > 50_000) addressCache.clear();
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Optional<SocketEntry> e = parseLine(line);
            if (e.isPresent()) out.add(e.get());
            else bad.add(line);
        }
        return new Result(out, bad);
    }

    /** One data line; empty when it is malformed. */
    public Optional<SocketEntry> parseLine(String line) {
        try {
            String[] f = split(line);
            if (f.length < 10 || !f[0].endsWith(":")) return Optional.empty();
            Endpoint local = endpoint(f[1]);
            Endpoint remote = endpoint(f[2]);
            if (local.address() instanceof Inet4Address && remote.isIpv6() && remote.isWildcard())
                remote = new Endpoint(ANY4, remote.port()); // a dual-stack listener on a v4(-mapped) address
            Optional<KernelTcpState> ks = KernelTcpState.fromCode(Integer.parseInt(f[3], 16));
            if (ks.isEmpty()) return Optional.empty();
            int q = f[4].indexOf(':');
            int t = f[5].indexOf(':');
            if (q < 0 || t < 0) return Optional.empty();
            long tx = Long.parseLong(f[4], 0, q, 16);
            long rx = Long.parseLong(f[4], q + 1, f[4].length(), 16);
            int tr = Integer.parseInt(f[5], 0, t, 16);
            long when = Long.parseLong(f[5], t + 1, f[5].length(), 16);
            int retr = (int) Long.parseLong(f[6], 16);
            int uid = Integer.parseInt(f[7]);
            long inode = Long.parseLong(f[9]);
            KernelTcpState kernel = ks.get();
            // a request socket: SYN_RECV printed by get_openreq with reference count 0
            if (kernel == KernelTcpState.SYN_RECV && f.length > 10 && f[10].equals("0")) kernel = KernelTcpState.NEW_SYN_RECV;
            if (kernel == KernelTcpState.NEW_SYN_RECV || kernel == KernelTcpState.TIME_WAIT) uid = SocketEntry.UNKNOWN_UID;
            if (kernel == KernelTcpState.LISTEN) tx = SocketEntry.UNKNOWN_QUEUE;
            TimerKind timer = TimerKind.fromProcCode(tr);
            Long remaining = timer == null ? null : when * millisPerTick;
            return Optional.of(new SocketEntry(new ConnectionKey(local, remote), kernel.rfcState(), kernel,
                    tx, rx, timer, remaining, retr, uid, inode, null, null, false));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String[] split(String line) {
        String[] parts = new String[12];
        int n = 0, i = 0, len = line.length();
        while (i < len && n < parts.length) {
            while (i < len && line.charAt(i) == ' ') i++;
            if (i >= len) break;
            int start = i;
            while (i < len && line.charAt(i) != ' ') i++;
            parts[n++] = line.substring(start, i);
        }
        return n == parts.length ? parts : Arrays.copyOf(parts, n);
    }

    private Endpoint endpoint(String field) {
        int c = field.indexOf(':');
        if (c != 8 && c != 32) throw new IllegalArgumentException("bad address " + field);
        String hex = field.substring(0, c);
        InetAddress a = addressCache.get(hex);
        if (a == null) {
            a = decode(hex);
            addressCache.put(hex, a);
        }
        int port = Integer.parseInt(field, c + 1, field.length(), 16);
        return new Endpoint(a, port);
    }

    /** Decodes the kernel's hex form: each group of 8 hex digits is one 32-bit word in host (little-endian) order. */
    static InetAddress decode(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int pos = word * 8 + (3 - i) * 2;
                b[word * 4 + i] = (byte) Integer.parseInt(hex, pos, pos + 2, 16);
            }
        }
        return Addresses.fromBytes(b); // ::ffff:a.b.c.d comes back as Inet4Address
    }
}
