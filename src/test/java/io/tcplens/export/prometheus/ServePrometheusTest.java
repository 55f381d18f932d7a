package io.tcplens.export.prometheus;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.cli.TcpLensCommand;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.PrometheusServer;
import io.tcplens.testutil.Ss;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tcplens serve} (the real command, in-process) scraped by a real Prometheus server. The
 * test's sockets live in a private network namespace ({@code unshare -n}) whose table holds them
 * and nothing else, and the exporter reads that namespace's table ({@code --source proc:/proc/PID}),
 * so what Prometheus stores must equal {@code ss -tan} of the namespace exactly, and the kernel's
 * per-namespace counters must equal the connects the test made — however busy the rest of the
 * machine is.
 */
@EnabledOnOs(OS.LINUX)
class ServePrometheusTest {
    private static final long DEADLINE_MS = 45_000;

    @TempDir
    Path dir;

    @Test
    void prometheusStoresWhatSsShowsPerStateAndPerDestinationWithBoundedLabels() throws Exception {
        assumeTrue(PrometheusServer.installed(), "needs Debian's prometheus package (prometheus, promtool on the PATH); .ci/run installs it");
        assumeTrue(Ss.available(), "needs iproute2's ss");
        try (Netns ns = Netns.start()) {
            Serve serve = Serve.start("--source", "proc:/proc/" + ns.pid(), "--interval", "1s", "--top", "20");
            try (serve; PrometheusServer prom = new PrometheusServer(dir, "127.0.0.1:" + serve.port)) {
                // 1. the test's sockets in known states
                String[] a = ns.send("states").split(" ");
                assertEquals("ok", a[0], "helper: " + String.join(" ", a));
                int portB = Integer.parseInt(a[2]);
                long connects = Long.parseLong(a[3]);
                Map<TcpState, Integer> expected = new EnumMap<>(TcpState.class);
                expected.put(TcpState.LISTEN, 2);
                expected.put(TcpState.ESTABLISHED, 8);
                expected.put(TcpState.CLOSE_WAIT, 3);
                expected.put(TcpState.FIN_WAIT2, 3);
                expected.put(TcpState.TIME_WAIT, 30);

                // ss before and after Prometheus's answer agree (the namespace is still), and Prometheus equals them
                StringBuilder last = new StringBuilder();
                boolean equal = waitFor(() -> {
                    try {
                        Map<TcpState, Integer> before = ns.ssCounts();
                        Map<TcpState, Integer> stored = byLabel(prom.query("tcplens_sockets"), "state");
                        Map<TcpState, Integer> after = ns.ssCounts();
                        last.setLength(0);
                        last.append("ss before ").append(before).append(", prometheus ").append(stored).append(", ss after ").append(after);
                        return before.equals(after) && before.equals(stored);
                    } catch (IOException | InterruptedException e) {
                        last.append(e);
                        return false;
                    }
                });
                assertTrue(equal, "Prometheus's tcplens_sockets never equalled ss -tan of the namespace: " + last);
                Map<TcpState, Integer> ss = ns.ssCounts();
                assertEquals(expected, ss, "the namespace holds exactly the test's sockets");

                JsonNode targets = prom.api("targets").get("activeTargets");
                assertEquals(1, targets.size());
                assertEquals("up", targets.get(0).get("health").asText(), "scrape: " + targets.get(0));
                assertEquals(1.0, single(prom.query("tcplens_up")));
                assertEquals(1.0, single(prom.query("tcplens_source_info{source=\"proc\",kind=\"live\"}")));

                // 2. the busy destination: 30 TIME_WAIT ports towards B, its close rate measured
                String dest = "{local=\"127.0.0.1\",remote=\"127.0.0.1:" + portB + "\"}";
                assertTrue(waitFor(() -> value(prom, "tcplens_destination_closes_per_second" + dest) > 0),
                        "no close rate towards B: " + safe(() -> prom.query("tcplens_destination_closes_per_second").toString()));
                assertEquals(30.0, single(prom.query("tcplens_destination_ephemeral_ports_in_use" + dest)));
                double usable = single(prom.query("tcplens_destination_ephemeral_ports_usable" + dest));
                assertTrue(usable > 30, "usable " + usable);
                assertEquals(1 - 30 / usable, single(prom.query("tcplens_destination_port_headroom_ratio" + dest)), 1e-9);
                assertEquals(3.0, single(prom.query("sum(tcplens_close_wait_sockets)")));

                // 3. the namespace's own kernel counters: exactly the test's connects and accepts
                assertTrue(waitFor(() -> value(prom, "tcplens_kernel_active_opens_total") == connects),
                        "ActiveOpens: " + safe(() -> prom.query("tcplens_kernel_active_opens_total").toString()));
                assertEquals((double) connects, single(prom.query("tcplens_kernel_passive_opens_total")));
                assertEquals(0.0, single(prom.query("tcplens_kernel_listen_overflows_total")));

                // 4. 500 destinations (clients from 500 addresses 127.1.x.y): at most 20 + other label values
                String[] c = ns.send("destinations 500").split(" ");
                assertEquals("ok", c[0]);
                assertTrue(waitFor(() -> value(prom, "tcplens_destinations") == 502),
                        "destinations: " + safe(() -> prom.query("tcplens_destinations").toString()));
                for (String family : List.of("tcplens_destination_ephemeral_ports_in_use", "tcplens_destination_closes_per_second",
                        "tcplens_destination_ephemeral_ports_usable", "tcplens_destination_port_headroom_ratio")) {
                    JsonNode series = prom.query(family);
                    assertTrue(series.size() <= 21, family + ": " + series.size() + " series");
                    assertTrue(series.size() >= 20, family + ": " + series.size() + " series");
                }
                assertEquals(21, prom.query("tcplens_destination_ephemeral_ports_in_use").size());
                assertEquals(1, prom.query("tcplens_destination_ephemeral_ports_in_use{remote=\"other\"}").size());
                // nothing is lost by the cut: kept + other = every ephemeral port held (4 + 3 + 30 + 500)
                assertEquals(537.0, single(prom.query("sum(tcplens_destination_ephemeral_ports_in_use)")));
                // the exposition itself, as scraped, has the same bound
                String text = serve.scrape("text/plain");
                Set<String> labelSets = new HashSet<>();
                Matcher m = Pattern.compile("^tcplens_destination_ephemeral_ports_in_use(\\{[^}]*})", Pattern.MULTILINE).matcher(text);
                while (m.find()) labelSets.add(m.group(1));
                assertEquals(21, labelSets.size(), "label sets in the exposition: " + labelSets);
                assertTrue(labelSets.contains("{local=\"other\",remote=\"other\"}"), "no other: " + labelSets);

                // 5. the shipped dashboard's queries run on this Prometheus, and its main panels have data
                for (String expr : ServeRulesAndDashboardTest.dashboardExpressions()) {
                    String q = expr.replace("$instance", ".+").replace("$__rate_interval", "1m");
                    JsonNode result = prom.query(q); // throws on invalid PromQL
                    if (q.contains("tcplens_sockets") || q.contains("headroom") || q.contains("ports_in_use")
                            || q.contains("tcplens_close_wait_sockets") || q.contains("active_opens"))
                        assertFalse(result.isEmpty(), "dashboard query without data: " + q);
                }
                assertTrue(prom.log().lines().noneMatch(l -> l.contains("level=error")), prom.log());
            }
        }
    }

    // ---- helpers

    static boolean waitFor(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) return true;
            Thread.sleep(250);
        }
        return c.getAsBoolean();
    }

    interface IoSupplier {
        String get() throws Exception;
    }

    static String safe(IoSupplier s) {
        try {
            return s.get();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static double value(PrometheusServer prom, String q) {
        try {
            JsonNode r = prom.query(q);
            return r.size() == 1 ? r.get(0).get("value").get(1).asDouble() : Double.NaN;
        } catch (IOException | InterruptedException e) {
            return Double.NaN;
        }
    }

    static double single(JsonNode result) {
        assertEquals(1, result.size(), "one series expected: " + result);
        return result.get(0).get("value").get(1).asDouble();
    }

    /** A vector by one label that names a TCP state; states with 0 are left out (as ss leaves them out). */
    static Map<TcpState, Integer> byLabel(JsonNode result, String label) {
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (JsonNode s : result) {
            int v = (int) s.get("value").get(1).asDouble();
            if (v != 0) m.put(TcpState.valueOf(s.get("metric").get(label).asText()), v);
        }
        return m;
    }

    /** {@code tcplens serve} through the real command line, on a thread; stopped by interrupting it. */
    static final class Serve implements AutoCloseable {
        final Thread thread;
        final int port;
        final StringWriter out = new StringWriter(), err = new StringWriter();
        private final HttpClient http = HttpClient.newHttpClient();

        private Serve(String... args) throws InterruptedException {
            List<String> all = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0"));
            all.addAll(List.of(args));
            CommandLine cl = new CommandLine(new TcpLensCommand());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> cl.execute(all.toArray(String[]::new)), "test-serve");
            thread.setDaemon(true);
            thread.start();
            Pattern p = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Matcher m;
            while (!(m = p.matcher(out.toString())).find()) {
                if (!thread.isAlive() || System.nanoTime() > end) throw new AssertionError("serve did not start: " + out + err);
                Thread.sleep(50);
            }
            port = Integer.parseInt(m.group(1));
        }

        static Serve start(String... args) throws InterruptedException {
            return new Serve(args);
        }

        HttpResponse<String> get(String accept) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).header("Accept", accept).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String scrape(String accept) throws IOException, InterruptedException {
            return get(accept).body();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "serve did not stop");
        }
    }

    /** A JVM running {@link NetnsSockets} in a new network namespace (loopback up). */
    static final class Netns implements AutoCloseable {
        final Process process;
        final PrintWriter in;
        final BufferedReader out;

        private Netns(Process p) {
            process = p;
            in = new PrintWriter(p.outputWriter(StandardCharsets.UTF_8), true);
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        static Netns start() throws IOException {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            boolean root = "root".equals(System.getProperty("user.name"));
            List<String> cmd = new ArrayList<>(List.of("unshare", root ? "-n" : "-rn", "sh", "-c",
                    "ip link set lo up && exec \"$0\" \"$@\"", java, "-cp", System.getProperty("java.class.path"),
                    NetnsSockets.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Netns n = new Netns(p);
            String first = n.out.readLine();
            if (!"ready".equals(first)) {
                n.close();
                assumeTrue(false, "needs a private network namespace (unshare -n as root, or -rn with user namespaces): " + first);
            }
            return n;
        }

        long pid() {
            return process.pid();
        }

        synchronized String send(String command) throws IOException {
            in.println(command);
            String line = out.readLine();
            if (line == null) throw new IOException("the namespace helper ended");
            return line;
        }

        Map<TcpState, Integer> ssCounts() throws IOException {
            Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
            String rows = send("ss");
            if (rows.isBlank()) return m;
            for (String row : rows.split("\\|"))
                TcpState.parse(row.trim().split("\\s+")[0]).ifPresent(s -> m.merge(s, 1, Integer::sum));
            return m;
        }

        @Override
        public void close() {
            in.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
