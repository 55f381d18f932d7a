package io.tcplens.export.prometheus;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules and Grafana dashboard: promtool checks and unit-tests the rules, and
 * every metric either file names is one the exporter exposes ({@link TcpMetrics#names()}, which
 * the exposition test checks against a real scrape). ServePrometheusTest runs the dashboard's
 * queries against a real Prometheus scraping a real exporter.
 */
class ServeRulesAndDashboardTest {
    static final Path RULES = Path.of("packaging/prometheus/tcplens-alerts.yml");
    static final Path RULES_TEST = Path.of("packaging/prometheus/tcplens-alerts.test.yml");
    static final Path DASHBOARD = Path.of("packaging/grafana/tcplens-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\btcplens_[a-z0-9_]+");

    static Set<String> metricNames(String text) {
        Set<String> s = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) s.add(m.group());
        return s;
    }

    /** Every PromQL expression of the dashboard (panel targets and the instance variable's query). */
    static List<String> dashboardExpressions() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : d.get("panels"))
            for (JsonNode t : p.path("targets")) exprs.add(t.get("expr").asText());
        return exprs;
    }

    @Test
    void rulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
        assumeTrue(PrometheusServer.onPath("promtool"), "needs promtool (Debian's prometheus package); .ci/run installs it");
        String check = run(RULES.getParent(), "promtool", "check", "rules", RULES.getFileName().toString());
        assertTrue(check.contains("SUCCESS: 5 rules found"), check);
        String test = run(RULES_TEST.getParent(), "promtool", "test", "rules", RULES_TEST.getFileName().toString());
        assertTrue(test.contains("SUCCESS"), test);
    }

    @Test
    void rulesCoverTheIssuesAlertsAndNameOnlyExposedMetrics() throws IOException {
        String rules = Files.readString(RULES);
        Set<String> names = metricNames(rules);
        assertTrue(TcpMetrics.names().containsAll(names), "not exposed: " + minus(names));
        for (String needed : List.of("tcplens_destination_port_headroom_ratio < 0.2", "tcplens_destination_exhaustion_forecast_seconds < 600",
                "tcplens_close_wait_sockets", "offset 15m", "tcplens_kernel_time_wait_overflows_total"))
            assertTrue(rules.contains(needed), "rules lack " + needed);
        // every alert has a unit test
        Matcher m = Pattern.compile("- alert: (\\w+)").matcher(rules);
        String tests = Files.readString(RULES_TEST);
        while (m.find()) assertTrue(tests.contains("alertname: " + m.group(1)), "no promtool test for " + m.group(1));
    }

    @Test
    void dashboardParsesAndNamesOnlyExposedMetrics() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertEquals("tcplens-tcp", d.get("uid").asText());
        List<String> exprs = dashboardExpressions();
        Set<String> names = new TreeSet<>();
        exprs.forEach(e -> names.addAll(metricNames(e)));
        names.addAll(metricNames(d.get("templating").toString()));
        assertTrue(TcpMetrics.names().containsAll(names), "not exposed: " + minus(names));
        for (String needed : List.of(TcpMetrics.SOCKETS, TcpMetrics.DEST_HEADROOM, TcpMetrics.DEST_EXHAUSTION, TcpMetrics.CLOSE_WAIT,
                TcpMetrics.SYN_RECV))
            assertTrue(names.contains(needed), "the dashboard has no panel on " + needed);
        for (JsonNode p : d.get("panels")) {
            assertFalse(p.get("title").asText().isBlank());
            if (!p.get("type").asText().equals("row")) assertFalse(p.path("targets").isEmpty(), p.get("title").asText());
        }
    }

    private static Set<String> minus(Set<String> names) {
        Set<String> s = new TreeSet<>(names);
        TcpMetrics.names().forEach(s::remove);
        return s;
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
