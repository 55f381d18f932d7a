package io.tcplens.analysis.ports;

import java.nio.file.Path;
import java.util.Locale;

/** Picks the reader for the OS this runs on. */
public final class PortRangeReaders {
    private PortRangeReaders() {}

    public static PortRangeReader forThisPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) return new LinuxPortRangeReader(Path.of("/proc/sys"));
        if (os.contains("win")) return new WindowsPortRangeReader(CommandRunner.system());
        if (os.contains("mac") || os.contains("darwin")) return new MacPortRangeReader(CommandRunner.system());
        return () -> EphemeralPortRange.unknown("no way to read the ephemeral port range on " + System.getProperty("os.name"));
    }
}
