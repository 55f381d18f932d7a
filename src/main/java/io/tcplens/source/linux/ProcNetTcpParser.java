package io.tcplens.source.linux;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TimerKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code /proc/net/tcp} and {@code /proc/net/tcp6} (format of net/ipv4/tcp_ipv4.c
 * {@code tcp4_seq_show}). Addresses are the kernel's network-order bytes printed as host-order
 * 32-bit words; timer times are in USER_HZ ticks. Malformed lines are skipped and counted.
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
            if (local.address() instanceof java.net.Inet4Address && remote.isIpv6() && remote.isWildcard())
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
            TimerKind timer = TimerKind.fromProcCode(tr);
            Long remaining = timer == null ? null : when * millisPerTick;
            return Optional.of(new SocketEntry(new ConnectionKey(local, remote), ks.get().rfcState(), ks.get(),
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
        return n == parts.length ? parts : java.util.Arrays.copyOf(parts, n);
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
