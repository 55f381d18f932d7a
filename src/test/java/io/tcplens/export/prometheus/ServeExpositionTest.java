package io.tcplens.export.prometheus;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.PrometheusServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposition as a scraper receives it over HTTP from the real server: both formats by content
 * negotiation, {@code promtool check metrics} clean, HELP on every family, a failing source
 * reported as {@code tcplens_up 0} (never stale tables), and SIGTERM ending the process cleanly.
 */
@EnabledOnOs(OS.LINUX)
class ServeExpositionTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> get(int port, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (accept != null) b.header("Accept", accept);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PrometheusExporter exporter(ProcNetSource source, int top) throws IOException {
        return new PrometheusExporter(source, PrometheusExporter.Settings.of(ListenAddress.parse("127.0.0.1:0"),
                Duration.ofMillis(200), top)).start();
    }

    private static void awaitPolls(PrometheusExporter e, int n) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(n);
        e.afterPublish(r -> latch.countDown());
        assertTrue(latch.await(30, TimeUnit.SECONDS), "no polls published");
    }

    @Test
    void textAndOpenMetricsByNegotiationBothValidWithHelpOnEveryFamily() throws Exception {
        try (LoopbackSockets s = new LoopbackSockets(); PrometheusExporter e = exporter(new ProcNetSource(), 20)) {
            s.established();
            s.closeWait();
            awaitPolls(e, 2);

            // Prometheus text format 0.0.4: what a plain scraper (curl) gets
            HttpResponse<String> text = get(e.port(), null);
            assertEquals(200, text.statusCode());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    text.headers().toString());
            assertFalse(text.body().contains("# EOF"));
            Set<String> typed = families(text.body(), "TYPE"), helped = families(text.body(), "HELP");
            assertEquals(typed, helped, "every family has HELP");
            for (String name : List.of("tcplens_up", "tcplens_sockets", "tcplens_poll_duration_seconds", "tcplens_polls_total",
                    "tcplens_destination_ephemeral_ports_in_use", "tcplens_close_wait_sockets", "tcplens_syn_recv_networks",
                    "tcplens_kernel_listen_overflows_total", "tcplens_kernel_active_opens_total", "tcplens_source_info"))
                assertTrue(typed.contains(name), "missing " + name + " in " + typed);
            assertTrue(TcpMetrics.names().containsAll(typed), "undeclared names: " + typed);
            assertTrue(text.body().contains("tcplens_sockets{state=\"CLOSE_WAIT\"}"));

            // OpenMetrics: what Prometheus asks for
            HttpResponse<String> om = get(e.port(), "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
            assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text; version=1.0.0"),
                    om.headers().toString());
            assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
            assertTrue(om.body().contains("# UNIT tcplens_poll_duration_seconds seconds"));
            assertTrue(om.body().contains("# TYPE tcplens_polls counter"));
            assertTrue(om.body().contains("# TYPE tcplens_source info"));

            // promtool's linter on the text exposition
            assumeTrue(PrometheusServer.onPath("promtool"), "promtool (Debian's prometheus package) not installed: lint skipped");
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(text.body().getBytes(StandardCharsets.UTF_8));
            }
            String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "promtool check metrics: " + lint);
            assertEquals("", lint.strip(), "promtool check metrics: " + lint);
        }
    }

    @Test
    void failingSourceIsReportedAsDownWithoutStaleTablesAndRecovers() throws Exception {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("net"));
        try (PrometheusExporter e = exporter(new ProcNetSource(proc, false), 20)) {
            awaitPolls(e, 2);
            String body = get(e.port(), null).body();
            assertTrue(body.contains("\ntcplens_up 0.0\n"), body);
            assertTrue(value(body, "tcplens_poll_errors_total") >= 2, body);
            assertFalse(body.contains("tcplens_sockets"), "a failed poll must not show a table");

            // the table appears: up again, the same process
            Files.writeString(proc.resolve("net/tcp"), String.join("\n",
                    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0",
                    ""));
            awaitPolls(e, 2);
            body = get(e.port(), null).body();
            assertTrue(body.contains("\ntcplens_up 1.0\n"), body);
            assertEquals(1.0, value(body, "tcplens_sockets{state=\"LISTEN\"}"), body);
        }
    }

    @Test
    void topNBoundsDestinationsOnTheLiveTable() throws Exception {
        // 12 destinations of this test (12 listeners, one client each) with N = 3: at most 4 label sets
        List<LoopbackSockets> servers = new ArrayList<>();
        try (PrometheusExporter e = exporter(new ProcNetSource(), 3)) {
            for (int i = 0; i < 12; i++) {
                LoopbackSockets s = new LoopbackSockets();
                servers.add(s);
                s.established();
            }
            awaitPolls(e, 2);
            String body = get(e.port(), null).body();
            Set<String> sets = new HashSet<>();
            Matcher m = Pattern.compile("^tcplens_destination_ephemeral_ports_in_use(\\{[^}]*})", Pattern.MULTILINE).matcher(body);
            while (m.find()) sets.add(m.group(1));
            assertTrue(sets.size() <= 4, sets.toString());
            assertTrue(sets.contains("{local=\"other\",remote=\"other\"}"), sets.toString());
            assertTrue(value(body, "tcplens_destinations") >= 12, body);
        } finally {
            servers.forEach(LoopbackSockets::close);
        }
    }

    @Test
    void sigtermEndsTheServeProcessAndFreesThePort() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = dir.resolve("serve.log");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tcplens.app.Main", "serve", "--listen", "127.0.0.1:0", "--interval", "1s")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern said = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics");
            Matcher m = said.matcher("");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end && p.isAlive() && !(m = said.matcher(Files.readString(log))).find()) Thread.sleep(100);
            assertTrue(m.hasMatch(), "serve said: " + Files.readString(log));
            int port = Integer.parseInt(m.group(1));
            assertEquals(200, get(port, null).statusCode());
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve did not end on SIGTERM"); // a bound, not a speed goal: the machine may be loaded
            assertEquals(143, p.exitValue(), "the JVM's exit status after SIGTERM (systemd: SuccessExitStatus=143)");
            String out = Files.readString(log);
            assertFalse(out.contains("Exception"), out);
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "port still open after exit");
        } finally {
            p.destroyForcibly();
        }
    }

    private static Set<String> families(String text, String kind) {
        Set<String> s = new HashSet<>();
        for (String line : text.split("\n"))
            if (line.startsWith("# " + kind + " ")) s.add(line.split(" ")[2]);
        return s;
    }

    private static double value(String text, String series) {
        for (String line : text.split("\n"))
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1));
        return Double.NaN;
    }
}
