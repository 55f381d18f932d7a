package io.tcplens.lab;

import io.tcplens.common.Ports;
import java.time.Duration;
import java.util.Optional;

/**
 * The knobs of a lab run. Everything is bounded: {@link #problem()} names the first knob out of range.
 *
 * @param connections     connections (or requests, for keep-alive) the client makes
 * @param ratePerSecond   how many per second
 * @param payloadBytes    bytes of each request and of each reply
 * @param portPoolStart   first local port of the client's port pool (0 = pick a free block)
 * @param portPoolSize    ports in the pool (port-pool and nat scenarios)
 * @param reuseAddress    set SO_REUSEADDR (server restart: on the server; port pool: on the client)
 * @param holdOpen        port pool: keep the connections open instead of closing them
 * @param maxDuration     the run stops after this long, whatever it is doing
 */
public record LabSettings(int connections, double ratePerSecond, int payloadBytes, int portPoolStart,
                          int portPoolSize, boolean reuseAddress, boolean holdOpen, Duration maxDuration) {
    public static final int MAX_CONNECTIONS = 5000;
    public static final double MAX_RATE = 2000;
    public static final int MAX_PAYLOAD = 1 << 20;
    public static final int MAX_POOL = 1000;
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);

    /** Sensible defaults for a scenario: a run that shows its point in a few seconds. */
    public static LabSettings defaults(LabScenario s) {
        return switch (s) {
            case PORT_EXHAUSTION -> new LabSettings(30, 20, 64, 0, 10, false, false, Duration.ofSeconds(30));
            case EPHEMERAL_RANGE -> new LabSettings(30, 20, 64, 0, 10, false, false, Duration.ofSeconds(30));
            case ONE_SOURCE_MANY_CLIENTS -> new LabSettings(40, 20, 64, 0, 10, false, false, Duration.ofSeconds(30));
            case SERVER_RESTART -> new LabSettings(5, 20, 64, 0, 10, false, false, Duration.ofSeconds(30));
            case CLOSE_WAIT_LEAK -> new LabSettings(20, 20, 64, 0, 10, false, false, Duration.ofSeconds(60));
            default -> new LabSettings(50, 25, 64, 0, 10, false, false, Duration.ofSeconds(30));
        };
    }

    public LabSettings withConnections(int n) {
        return new LabSettings(n, ratePerSecond, payloadBytes, portPoolStart, portPoolSize, reuseAddress, holdOpen, maxDuration);
    }

    public LabSettings withRate(double r) {
        return new LabSettings(connections, r, payloadBytes, portPoolStart, portPoolSize, reuseAddress, holdOpen, maxDuration);
    }

    public LabSettings withPayload(int b) {
        return new LabSettings(connections, ratePerSecond, b, portPoolStart, portPoolSize, reuseAddress, holdOpen, maxDuration);
    }

    public LabSettings withPortPool(int start, int size) {
        return new LabSettings(connections, ratePerSecond, payloadBytes, start, size, reuseAddress, holdOpen, maxDuration);
    }

    public LabSettings withReuseAddress(boolean on) {
        return new LabSettings(connections, ratePerSecond, payloadBytes, portPoolStart, portPoolSize, on, holdOpen, maxDuration);
    }

    public LabSettings withHoldOpen(boolean on) {
        return new LabSettings(connections, ratePerSecond, payloadBytes, portPoolStart, portPoolSize, reuseAddress, on, maxDuration);
    }

    public LabSettings withMaxDuration(Duration d) {
        return new LabSettings(connections, ratePerSecond, payloadBytes, portPoolStart, portPoolSize, reuseAddress, holdOpen, d);
    }

    /** The first setting out of range, as one sentence; empty when all are fine. */
    public Optional<String> problem() {
        if (connections < 1 || connections > MAX_CONNECTIONS)
            return Optional.of("connections must be 1…" + MAX_CONNECTIONS + " (got " + connections + ")");
        if (!(ratePerSecond >= 0.1 && ratePerSecond <= MAX_RATE))
            return Optional.of("rate must be 0.1…" + (int) MAX_RATE + " per second (got " + ratePerSecond + ")");
        if (payloadBytes < 1 || payloadBytes > MAX_PAYLOAD)
            return Optional.of("payload must be 1…" + MAX_PAYLOAD + " bytes (got " + payloadBytes + ")");
        if (portPoolSize < 1 || portPoolSize > MAX_POOL)
            return Optional.of("port pool size must be 1…" + MAX_POOL + " (got " + portPoolSize + ")");
        if (portPoolStart != 0 && (portPoolStart < 1024 || portPoolStart + portPoolSize - 1 > Ports.MAX))
            return Optional.of("port pool must lie within 1024…65535 (got " + portPoolStart + "…"
                    + (portPoolStart + portPoolSize - 1) + ")");
        if (maxDuration == null || maxDuration.isNegative() || maxDuration.isZero() || maxDuration.compareTo(MAX_DURATION) > 0)
            return Optional.of("duration must be more than 0 and at most " + MAX_DURATION.toMinutes() + " minutes");
        return Optional.empty();
    }
}
