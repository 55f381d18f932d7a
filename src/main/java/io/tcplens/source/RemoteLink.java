package io.tcplens.source;

/**
 * A source that reads another machine over a network link (the ssh source): what the status bar
 * shows of that link. Read from any thread.
 */
public interface RemoteLink {
    /** The machine as the person named it (host, or user@host:port). */
    String host();

    /** The last measured round trip in ms, or -1 before the first. */
    double roundTripMillis();

    /** When {@link #roundTripMillis()} was measured (epoch ms), 0 before the first. */
    long roundTripAtMillis();

    /** Whether the link is up now (false between a drop and the reconnect). */
    boolean connected();
}
