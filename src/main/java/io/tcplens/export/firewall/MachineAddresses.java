package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this machine must keep reaching: its own addresses (every interface, up or down), its
 * default gateways (Linux: {@code /proc/net/route} and {@code /proc/net/ipv6_route}), its DNS
 * servers ({@code /etc/resolv.conf}) and the SSH client of the current session
 * ({@code SSH_CONNECTION}), so an export cannot lock out the person running it. Read without DNS.
 */
public final class MachineAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(MachineAddresses.class);

    private MachineAddresses() {}

    /** Own addresses and default gateways, each once. */
    public static List<ProtectedNetwork> read() {
        List<ProtectedNetwork> out = new ArrayList<>(ownAddresses());
        out.addAll(defaultGateways(Path.of("/proc")));
        out.addAll(dnsServers(Path.of("/etc/resolv.conf")));
        out.addAll(sshPeer(System.getenv("SSH_CONNECTION"), System.getenv("SSH_CLIENT")));
        return out;
    }

    public static List<ProtectedNetwork> ownAddresses() {
        Map<IPAddress, String> found = new LinkedHashMap<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses()))
                    found.putIfAbsent(StrictAddresses.of(a), ni.getName());
            }
        } catch (SocketException | RuntimeException e) {
            LOG.warn("cannot list network interfaces: {}", e.toString());
        }
        List<ProtectedNetwork> out = new ArrayList<>();
        found.forEach((a, name) -> out.add(new ProtectedNetwork(a, ExclusionReason.OWN_ADDRESS, name)));
        return out;
    }

    /** Default gateways from the Linux routing tables under {@code procRoot}; empty elsewhere. */
    public static List<ProtectedNetwork> defaultGateways(Path procRoot) {
        Map<IPAddress, String> found = new LinkedHashMap<>();
        Path v4 = procRoot.resolve("net/route");
        if (Files.isReadable(v4)) {
            try {
                for (String line : Files.readAllLines(v4, StandardCharsets.US_ASCII)) parseRoute(line, found);
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", v4, e.toString());
            }
        }
        Path v6 = procRoot.resolve("net/ipv6_route");
        if (Files.isReadable(v6)) {
            try {
                for (String line : Files.readAllLines(v6, StandardCharsets.US_ASCII)) parseIpv6Route(line, found);
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", v6, e.toString());
            }
        }
        List<ProtectedNetwork> out = new ArrayList<>();
        found.forEach((a, dev) -> out.add(new ProtectedNetwork(a, ExclusionReason.GATEWAY, "via " + dev)));
        return out;
    }

    /** {@code Iface Destination Gateway Flags ... Mask}: hex, little-endian; default route has destination and mask 0. */
    static void parseRoute(String line, Map<IPAddress, String> out) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8 || f[0].equals("Iface")) return;
        try {
            long dest = Long.parseLong(f[1], 16);
            long gw = Long.parseLong(f[2], 16);
            int flags = Integer.parseInt(f[3], 16);
            long mask = Long.parseLong(f[7], 16);
            if (dest != 0 || mask != 0 || gw == 0 || (flags & 0x2) == 0) return; // RTF_GATEWAY
            byte[] b = {(byte) gw, (byte) (gw >>> 8), (byte) (gw >>> 16), (byte) (gw >>> 24)};
            out.putIfAbsent(StrictAddresses.of(InetAddress.getByAddress(b)), f[0]);
        } catch (IOException | NumberFormatException e) {
            LOG.debug("skipping route line {}", line);
        }
    }

    /** {@code dest destlen src srclen nexthop metric refcnt use flags dev}: default route has destlen 0. */
    static void parseIpv6Route(String line, Map<IPAddress, String> out) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) return;
        try {
            if (!f[0].equals("00000000000000000000000000000000") || !f[1].equals("00")) return;
            byte[] hop = HexFormat.of().parseHex(f[4].toLowerCase(Locale.ROOT));
            if (hop.length != 16) return;
            boolean zero = true;
            for (byte x : hop) zero &= x == 0;
            if (zero) return;
            out.putIfAbsent(StrictAddresses.of(InetAddress.getByAddress(hop)), f[9]);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("skipping ipv6 route line {}", line);
        }
    }

    /** {@code nameserver ADDRESS} lines of a resolv.conf (zone suffixes dropped; bad lines skipped). */
    public static List<ProtectedNetwork> dnsServers(Path resolvConf) {
        List<ProtectedNetwork> out = new ArrayList<>();
        if (!Files.isReadable(resolvConf)) return out;
        try {
            for (String line : Files.readAllLines(resolvConf, StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 2 || !f[0].equals("nameserver")) continue;
                String addr = f[1].contains("%") ? f[1].substring(0, f[1].indexOf('%')) : f[1];
                try {
                    out.add(new ProtectedNetwork(StrictAddresses.parse(addr), ExclusionReason.DNS_SERVER, resolvConf.toString()));
                } catch (InvalidAddressException e) {
                    LOG.debug("skipping nameserver line {}", line);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", resolvConf, e.toString());
        }
        return out;
    }

    /** The client address of an SSH session from {@code SSH_CONNECTION} ("client port server port") or {@code SSH_CLIENT}. */
    public static List<ProtectedNetwork> sshPeer(String sshConnection, String sshClient) {
        for (String v : new String[] {sshConnection, sshClient}) {
            if (v == null || v.isBlank()) continue;
            try {
                return List.of(new ProtectedNetwork(StrictAddresses.parse(v.strip().split("\\s+")[0]), ExclusionReason.SSH_PEER,
                        "SSH_CONNECTION"));
            } catch (InvalidAddressException e) {
                LOG.debug("ignoring SSH_CONNECTION {}", v);
            }
        }
        return List.of();
    }
}
