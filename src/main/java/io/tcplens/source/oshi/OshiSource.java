package io.tcplens.source.oshi;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.TimeWaitDuration;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;
import oshi.software.os.linux.LinuxInternetProtocolStats;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Cross-platform live source through OSHI (Windows, macOS, also Linux). OSHI gives no timers, uid
 * or inode, so those fields are empty; process names come from OSHI's process list.
 *
 * <p>One owner per socket: OSHI's {@code IPConnection} has a single owning pid (on Linux its inode →
 * pid map keeps one holder of a socket several processes hold; Windows' TCP table records one), and no
 * inode to group holders by, so a shared socket names one of its holders and its snapshot has no
 * {@link io.tcplens.model.SocketHolders}. OSHI reads the owners afresh at each poll, so an ended
 * holder is never named.
 */
public final class OshiSource implements SocketTableSource {
    private final SourceInfo info;
    private final Supplier<List<InternetProtocolStats.IPConnection>> connections;
    private final OperatingSystem os;
    private final Map<Integer, String> names = new HashMap<>();
    /** Linux: names from /proc/PID/comm instead of OSHI's process objects. */
    private boolean procNames;

    public OshiSource() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            // OSHI's LinuxOperatingSystem runs `uname -o` through PATH when its class loads, and JNA
            // runs /sbin/ldconfig -p when it loads a library (issue 15 #19): on Linux take OSHI's
            // connection list alone (it reads /proc) and the process names from /proc/PID/comm
            this.os = null;
            this.connections = new LinuxInternetProtocolStats()::getConnections;
            this.info = new SourceInfo(SourceInfo.Kind.LIVE, "oshi", "OSHI (Linux)");
            this.procNames = true;
            return;
        }
        SystemInfo si = new SystemInfo();
        this.os = si.getOperatingSystem();
        InternetProtocolStats stats = os.getInternetProtocolStats();
        this.connections = stats::getConnections;
        this.info = new SourceInfo(SourceInfo.Kind.LIVE, "oshi", "OSHI (" + os.getFamily() + ")");
    }

    /** For tests: a fixed connection list, no process lookup. */
    public OshiSource(Supplier<List<InternetProtocolStats.IPConnection>> connections) {
        this.os = null;
        this.connections = connections;
        this.info = new SourceInfo(SourceInfo.Kind.LIVE, "oshi", "OSHI");
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public TimeWaitDuration timeWaitDuration() {
        return OshiPlatform.timeWaitDuration();
    }

    @Override
    public Snapshot poll() throws SourceException {
        long now = System.currentTimeMillis();
        List<InternetProtocolStats.IPConnection> list;
        try {
            list = connections.get();
        } catch (RuntimeException e) {
            throw new SourceException("OSHI could not list connections: " + e.getMessage(), e);
        }
        if (procNames) names.clear(); // a pid may have been reused since the last poll
        List<SocketEntry> rows = new ArrayList<>(list.size());
        int unknown = 0;
        for (InternetProtocolStats.IPConnection c : list) {
            if (c.getType() == null || !c.getType().startsWith("tcp")) continue;
            TcpState s = OshiStates.map(c.getState());
            InetAddress la = address(c.getLocalAddress(), c.getType());
            InetAddress ra = address(c.getForeignAddress(), c.getType());
            if (s == null || la == null || ra == null) {
                unknown++;
                continue;
            }
            if (la instanceof Inet4Address && ra instanceof Inet6Address && ra.isAnyLocalAddress())
                ra = Addresses.fromBytes(new byte[4]); // a dual-stack listener on a v4(-mapped) address, as proc and netlink say
            int pid = c.getowningProcessId();
            Integer owner = pid > 0 ? pid : null;
            // OSHI's transmit queue of a listener is not its backlog limit (on Linux it reads /proc/net/tcp's 0)
            long sendQ = s == TcpState.LISTEN ? SocketEntry.UNKNOWN_QUEUE : Math.max(0, c.getTransmitQueue());
            rows.add(new SocketEntry(new ConnectionKey(new Endpoint(la, c.getLocalPort()), new Endpoint(ra, c.getForeignPort())),
                    s, null, sendQ, Math.max(0, c.getReceiveQueue()), null, null, 0, SocketEntry.UNKNOWN_UID, 0,
                    owner, owner == null ? null : name(owner), false));
        }
        List<String> warnings = unknown == 0 ? List.of() : List.of(unknown + " connection(s) in a state OSHI could not name were skipped");
        return new Snapshot(now, rows, info, warnings);
    }

    private String name(int pid) {
        if (procNames) return names.computeIfAbsent(pid, OshiSource::procComm);
        if (os == null) return null;
        return names.computeIfAbsent(pid, p -> {
            OSProcess proc = os.getProcess(p);
            return proc == null ? null : proc.getName();
        });
    }

    private static String procComm(int pid) {
        try {
            String comm = Files.readString(Path.of("/proc", Integer.toString(pid), "comm"));
            return comm.endsWith("\n") ? comm.substring(0, comm.length() - 1) : comm;
        } catch (IOException | RuntimeException e) {
            return null; // gone, or not ours to read
        }
    }

    private static InetAddress address(byte[] raw, String type) {
        if (raw == null) return null;
        if (raw.length == 0) return Addresses.fromBytes(new byte[type.endsWith("6") ? 16 : 4]);
        if (raw.length != 4 && raw.length != 16) return null;
        return Addresses.fromBytes(raw);
    }
}
