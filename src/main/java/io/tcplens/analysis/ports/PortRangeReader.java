package io.tcplens.analysis.ports;

/** Reads the ephemeral port range of one platform. Never throws: an unreadable range is {@link EphemeralPortRange#unknown}. */
public interface PortRangeReader {
    EphemeralPortRange read();
}
