package io.tcplens.source.oshi;

import io.tcplens.source.TimeWaitDuration;
import java.util.List;
import java.util.Locale;
import io.tcplens.io.BoundedCommand;

/** TIME_WAIT length on the OS OSHI runs on, read from the OS where possible. */
final class OshiPlatform {
    private OshiPlatform() {}

    static TimeWaitDuration timeWaitDuration() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            List<String> out = run("reg", "query",
                    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters", "/v", "TcpTimedWaitDelay");
            for (String line : out) {
                String t = line.trim();
                int hex = t.indexOf("0x");
                if (t.startsWith("TcpTimedWaitDelay") && hex > 0) {
                    try {
                        long s = Long.parseLong(t.substring(hex + 2).trim(), 16);
                        return new TimeWaitDuration(s * 1000, "Windows TcpTimedWaitDelay = " + s + " s (registry)");
                    } catch (NumberFormatException ignored) {
                        break;
                    }
                }
            }
            return TimeWaitDuration.WINDOWS_DEFAULT;
        }
        if (os.contains("mac")) {
            List<String> out = run("sysctl", "-n", "net.inet.tcp.msl");
            if (!out.isEmpty()) {
                try {
                    long msl = Long.parseLong(out.get(0).trim());
                    return new TimeWaitDuration(2 * msl, "macOS 2 × net.inet.tcp.msl (" + msl + " ms)");
                } catch (NumberFormatException ignored) {
                    // fall through
                }
            }
            return new TimeWaitDuration(30_000, "macOS default 2 × 15000 ms (sysctl unreadable)");
        }
        return TimeWaitDuration.LINUX;
    }

    /** The OS's own program (not one found through PATH), bounded: empty on any failure. */
    private static List<String> run(String... command) {
        return BoundedCommand.systemProgram(command[0]).map(exe -> {
            String[] cmd = command.clone();
            cmd[0] = exe;
            BoundedCommand.Result r = BoundedCommand.run(BoundedCommand.DEFAULT_LIMIT, cmd);
            return r.ok() ? r.lines() : List.<String>of();
        }).orElse(List.of());
    }
}
