package io.tcplens.export.prometheus;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.analysis.ports.PortRangeReaders;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tcplens serve}: polls a source on the engine's thread, runs the port analysis on each
 * poll, and serves the result on {@code /metrics} with the Prometheus Java client's HTTP server
 * (Prometheus text format or OpenMetrics, whichever the scraper's Accept header asks for).
 * Memory stays bounded: the tracker forgets closed connections, the rate window is fixed and each
 * publication replaces the previous one. A failing source is reported on {@code /metrics}
 * ({@code tcplens_up 0}, {@code tcplens_poll_errors_total}), never thrown.
 */
public final class PrometheusExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusExporter.class);

    /** Settings of one exporter. */
    public record Settings(ListenAddress listen, Duration interval, int topN, Path procRoot, PortRangeReader portRange) {
        public Settings {
            if (topN < 1) throw new IllegalArgumentException("--top must be at least 1");
        }

        /** The same with counters (net/netstat, net/snmp) read under another /proc root. */
        public Settings withProcRoot(Path root) {
            return new Settings(listen, interval, topN, root, portRange);
        }

        public static Settings of(ListenAddress listen, Duration interval, int topN) {
            return new Settings(listen, interval, topN, Path.of("/proc"), PortRangeReaders.forThisPlatform());
        }
    }

    private final Settings settings;
    private final PollingEngine engine;
    private final SourceInfo source;
    private final PortUsageAnalyzer analyzer;
    private final TcpLensCollector collector;
    private final boolean kernelCounters;
    private final SysctlReader sysctl;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private HTTPServer server;
    private long polls, errors;
    private String lastError;
    private volatile Consumer<PollResult> afterPublish = r -> {};

    public PrometheusExporter(SocketTableSource source, Settings settings) {
        this.settings = settings;
        this.engine = new PollingEngine(source, settings.interval());
        this.source = source.info();
        long window = Math.max(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS, 6 * settings.interval().toMillis());
        this.analyzer = new PortUsageAnalyzer(window, source.timeWaitDuration().millis());
        // a scrape that finds no poll for three intervals (and at least 30 s) reports the exporter down
        this.collector = new TcpLensCollector(this.source, Math.max(30_000, 3 * settings.interval().toMillis()),
                System::currentTimeMillis);
        // the kernel's counters describe this machine's kernel: only next to a live table of it
        this.kernelCounters = this.source.kind() == SourceInfo.Kind.LIVE
                && Files.isReadable(settings.procRoot().resolve("net/netstat"));
        this.sysctl = new SysctlReader(settings.procRoot().resolve("sys"));
        registry.register(collector);
    }

    /** Binds the HTTP server and starts polling (the first poll runs at once). */
    public synchronized PrometheusExporter start() throws IOException {
        engine.addListener(this::onPoll);
        server = HTTPServer.builder().inetAddress(settings.listen().address()).port(settings.listen().port())
                .registry(registry).buildAndStart();
        engine.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    public SourceInfo source() {
        return source;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Called on the poller thread after each publication (tests wait on it). */
    public void afterPublish(Consumer<PollResult> c) {
        afterPublish = c;
    }

    private void onPoll(PollResult r) {
        polls++;
        PortReport report = null;
        if (r.error() != null) {
            errors++;
            if (!r.error().equals(lastError)) LOG.warn("source failed: {} (reported as tcplens_up 0)", r.error());
        } else {
            if (lastError != null) LOG.info("source works again");
            analyzer.observe(r);
            report = analyzer.report(r, settings.portRange().read(), engine.source().timeWaitDuration());
        }
        lastError = r.error();
        long now = r.snapshot().timestampMillis();
        NetstatCounters counters = kernelCounters ? NetstatCounters.readWithSnmp(settings.procRoot(), now) : NetstatCounters.none();
        OptionalLong twReuse = kernelCounters ? sysctl.readLong(KernelSettings.TW_REUSE) : OptionalLong.empty();
        collector.publish(TcpMetrics.build(new TcpMetrics.Input(r, report, counters, twReuse, source, polls, errors,
                settings.topN())), polls, errors);
        afterPublish.accept(r);
    }

    @Override
    public synchronized void close() {
        engine.close();
        if (server != null) server.close();
        server = null;
    }
}
