package io.tcplens.export.prometheus;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tcplens.model.SourceInfo;
import java.util.function.LongSupplier;

/**
 * Hands the latest published families to each scrape. The poller publishes after every poll; a
 * scrape only reads a reference, so it costs the exposition and nothing else. When no poll has
 * been published for {@code staleAfterMillis} (the poller stopped), a scrape gets
 * {@code tcplens_up 0} and the counters, not the old table.
 */
public final class TcpLensCollector implements MultiCollector {
    private record Published(MetricSnapshots families, long atMillis, long polls, long errors) {}

    private final SourceInfo source;
    private final long staleAfterMillis;
    private final LongSupplier clock;
    private volatile Published latest;

    public TcpLensCollector(SourceInfo source, long staleAfterMillis, LongSupplier clock) {
        this.source = source;
        this.staleAfterMillis = staleAfterMillis;
        this.clock = clock;
    }

    public void publish(MetricSnapshots families, long polls, long errors) {
        latest = new Published(families, clock.getAsLong(), polls, errors);
    }

    @Override
    public MetricSnapshots collect() {
        Published p = latest;
        if (p == null) return TcpMetrics.status(source, false, 0, 0, null);
        if (clock.getAsLong() - p.atMillis() > staleAfterMillis) return TcpMetrics.status(source, false, p.polls(), p.errors(), null);
        return p.families();
    }
}
