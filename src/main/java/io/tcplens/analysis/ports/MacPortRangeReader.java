package io.tcplens.analysis.ports;

import io.tcplens.common.Ports;
import java.util.List;

/** macOS: {@code sysctl net.inet.ip.portrange.first net.inet.ip.portrange.last}. */
public final class MacPortRangeReader implements PortRangeReader {
    static final String[] COMMAND = {"sysctl", "net.inet.ip.portrange.first", "net.inet.ip.portrange.last"};
    private final CommandRunner runner;

    public MacPortRangeReader(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public EphemeralPortRange read() {
        return parse(runner.run(COMMAND));
    }

    /** Parses "net.inet.ip.portrange.first: 49152" lines (also the "name = value" form). */
    public static EphemeralPortRange parse(List<String> lines) {
        Integer first = null, last = null;
        for (String line : lines) {
            int sep = line.indexOf(':');
            if (sep < 0) sep = line.indexOf('=');
            if (sep < 0) continue;
            String name = line.substring(0, sep).trim();
            try {
                int v = Integer.parseInt(line.substring(sep + 1).trim());
                if (name.equals("net.inet.ip.portrange.first")) first = v;
                else if (name.equals("net.inet.ip.portrange.last")) last = v;
            } catch (NumberFormatException ignored) {
                // not a number: skip the line
            }
        }
        if (first == null || last == null)
            return EphemeralPortRange.unknown("sysctl net.inet.ip.portrange.first/last unreadable");
        if (!Ports.isRange(first, last))
            return EphemeralPortRange.unknown("sysctl gave " + first + "–" + last + ": not a port range");
        return EphemeralPortRange.of(first, last, List.of(),
                "sysctl net.inet.ip.portrange.first = " + first + ", last = " + last);
    }
}
