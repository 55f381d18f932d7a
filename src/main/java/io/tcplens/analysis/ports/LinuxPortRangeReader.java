package io.tcplens.analysis.ports;

import io.tcplens.common.Ports;
import java.io.IOException;
import io.tcplens.analysis.ProcText;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Linux: {@code net/ipv4/ip_local_port_range} and {@code net/ipv4/ip_local_reserved_ports} under a
 * sysctl tree (normally /proc/sys; tests give a directory of their own).
 */
public final class LinuxPortRangeReader implements PortRangeReader {
    private final Path sysctlRoot;

    public LinuxPortRangeReader(Path sysctlRoot) {
        this.sysctlRoot = sysctlRoot;
    }

    public LinuxPortRangeReader() {
        this(Path.of("/proc/sys"));
    }

    @Override
    public EphemeralPortRange read() {
        Path rangeFile = sysctlRoot.resolve("net/ipv4/ip_local_port_range");
        String text;
        try {
            text = ProcText.read(rangeFile).trim();
        } catch (NoSuchFileException e) {
            return EphemeralPortRange.unknown(rangeFile + " does not exist");
        } catch (IOException e) {
            return EphemeralPortRange.unknown("cannot read " + rangeFile + ": " + e.getMessage());
        }
        String[] parts = text.split("\\s+");
        int first, last;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            first = Integer.parseInt(parts[0]);
            last = Integer.parseInt(parts[1]);
            if (!Ports.isRange(first, last)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            return EphemeralPortRange.unknown(rangeFile + " holds '" + text + "', not two ports");
        }
        List<PortSpan> reserved = List.of();
        String origin = "net.ipv4.ip_local_port_range = " + first + " " + last;
        Path reservedFile = sysctlRoot.resolve("net/ipv4/ip_local_reserved_ports");
        try {
            String r = ProcText.read(reservedFile).trim();
            reserved = PortSpan.parseList(r);
            if (!reserved.isEmpty()) origin += "; ip_local_reserved_ports = " + r;
        } catch (NoSuchFileException e) {
            // older kernels: nothing reserved
        } catch (IOException | IllegalArgumentException e) {
            origin += "; ip_local_reserved_ports unreadable (" + e.getMessage() + ")";
        }
        return EphemeralPortRange.of(first, last, reserved, origin).withReuse(reuse());
    }

    /** net.ipv4.tcp_tw_reuse, tcp_tw_reuse_delay (6.13+, else ~1 s) and tcp_timestamps of this namespace. */
    TimeWaitReuse reuse() {
        try {
            int mode = Integer.parseInt(ProcText.read(sysctlRoot.resolve("net/ipv4/tcp_tw_reuse")).trim());
            long delay = 1000;
            String origin = "net.ipv4.tcp_tw_reuse = " + mode;
            try {
                delay = Long.parseLong(ProcText.read(sysctlRoot.resolve("net/ipv4/tcp_tw_reuse_delay")).trim());
                origin += ", tcp_tw_reuse_delay = " + delay;
            } catch (NoSuchFileException e) {
                origin += " (no tcp_tw_reuse_delay: before Linux 6.13 about 1 s)";
            }
            boolean ts = true;
            try {
                ts = Integer.parseInt(ProcText.read(sysctlRoot.resolve("net/ipv4/tcp_timestamps")).trim()) != 0;
                origin += ", tcp_timestamps = " + (ts ? "on" : "0");
            } catch (NoSuchFileException e) {
                // kernels without the sysctl send timestamps
            }
            return new TimeWaitReuse(mode, delay, ts, origin);
        } catch (IOException | RuntimeException e) {
            return TimeWaitReuse.NONE;
        }
    }
}
