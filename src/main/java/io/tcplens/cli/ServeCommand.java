package io.tcplens.cli;

import io.tcplens.export.prometheus.ListenAddress;
import io.tcplens.export.prometheus.PrometheusExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Runs a Prometheus exporter on /metrics.",
        description = "Runs a Prometheus exporter: polls the table and serves /metrics (Prometheus text format or OpenMetrics, "
                + "as the scraper asks): sockets per state, per-destination ephemeral-port headroom and time to exhaustion, "
                + "CLOSE_WAIT per process, SYN_RECV per remote network, the kernel's TCP counters. No authentication: keep it on "
                + "loopback or put it behind a reverse proxy. Runs until SIGTERM or Ctrl+C.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Option(names = "--listen", paramLabel = "ADDRESS:PORT", defaultValue = "127.0.0.1:9464",
            description = "Where to serve /metrics; an IP address, never a name ([::1]:9464 for IPv6). Any address other than"
                    + " loopback must be given here explicitly. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "5s",
            description = "Time between polls of the table, e.g. 1s, 5s, 30s. Default: ${DEFAULT-VALUE}.")
    String interval;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "Label values kept per metric family (destinations, processes, networks); the rest are summed into"
                    + " 'other'. Default: ${DEFAULT-VALUE}.")
    int top;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (top < 1) throw new CliException("--top must be at least 1");
        Duration step = Durations.parse(interval);
        ListenAddress where;
        try {
            where = ListenAddress.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        PrometheusExporter.Settings settings = PrometheusExporter.Settings.of(where, step, top);
        // proc:ROOT reads the table of another /proc (e.g. /proc/PID: that process's network namespace);
        // the kernel's counters then come from the same place
        if (source.source.startsWith("proc:") && source.source.length() > 5)
            settings = settings.withProcRoot(Path.of(source.source.substring(5)));
        PrometheusExporter exporter = new PrometheusExporter(source.open(), settings);
        // SIGTERM (systemd stop) and Ctrl+C: close the server and the source, then let the JVM end
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tcplens-serve-shutdown");
        try {
            try {
                exporter.start();
            } catch (BindException e) {
                throw new CliException("cannot listen on " + where + ": " + e.getMessage(), 1);
            } catch (IOException e) {
                throw new CliException("cannot start the HTTP server on " + where + ": " + e.getMessage(), 1);
            }
            Runtime.getRuntime().addShutdownHook(hook);
            PrintWriter out = spec.commandLine().getOut();
            String host = where.toString().substring(0, where.toString().lastIndexOf(':'));
            out.println("tcplens serve: http://" + host + ":" + exporter.port() + "/metrics, " + exporter.source().label()
                    + ", every " + interval + ", top " + top + (where.isLoopback() ? "" : " (not loopback: no authentication, see README)"));
            out.flush();
            stop.await();
            return 0;
        } finally {
            exporter.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // shutting down already, or never added
            }
        }
    }
}
