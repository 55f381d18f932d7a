package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.app.Main;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.ScaleTable;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11: on a real table of about 100,000 sockets (72k ESTABLISHED + 28k TIME_WAIT, built as
 * {@code ScaleBenchmark} builds it), {@code tcplens counts --json} gives exactly the per-state counts
 * of {@code ss -tan}, for netlink and for /proc. Everything runs in a private network namespace where
 * nothing else opens sockets, so the table is static between the moments its workers remake the
 * TIME_WAIT sockets the kernel drops (every 60 s). {@code ss} is read before and after each TcpLens
 * run; a run whose two readings differ (it spanned a remake: on a loaded machine a fresh JVM can take
 * most of a minute) is run again, up to {@link #ATTEMPTS} times, and the counts must equal the
 * readings of a run the table stood still through.
 */
class ScaleCountsTest {
    private static final int SOCKETS = 100_000;

    /** Runs per source at most: each spanning a TIME_WAIT remake would need the machine to stall for minutes. */
    private static final int ATTEMPTS = 4;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void perStateCountsEqualSsOnA100kTable() throws Exception {
        String why = ScaleTable.netnsUnavailableReason();
        assumeTrue(why == null, () -> "skipped: the 100k table needs a private network namespace: " + why);
        try (ScaleTable table = ScaleTable.build(SOCKETS, ScaleTable.Options.defaults().withNetns(true))) {
            Map<TcpState, Integer> ss = table.ssCounts();
            int total = ss.values().stream().mapToInt(Integer::intValue).sum();
            assertTrue(total >= SOCKETS * 0.99, "table holds " + total + " sockets, expected about " + SOCKETS + ": " + ss);
            assertEquals(table.pairs() * 2, ss.getOrDefault(TcpState.ESTABLISHED, 0), "ESTABLISHED per ss: " + ss);
            for (String source : List.of("netlink", "proc")) {
                List<String> tries = new ArrayList<>();
                for (int attempt = 1; ; attempt++) {
                    Map<TcpState, Integer> before = table.ssCounts();
                    Map<TcpState, Integer> counts = counts(table, source);
                    Map<TcpState, Integer> after = table.ssCounts();
                    System.err.printf("ScaleCountsTest: %s, attempt %d: ss before %s; counts %s; ss after %s%n",
                            source, attempt, before, counts, after);
                    if (before.equals(after)) {
                        assertEquals(before, counts, "counts --json --source " + source + " against ss -tan");
                        break;
                    }
                    tries.add("ss " + before + " then " + after);
                    assertTrue(attempt < ATTEMPTS, "the table changed during every run of counts --source " + source
                            + " (TIME_WAIT remade as it expires): " + tries);
                }
            }
        }
    }

    /** Runs the CLI ({@code tcplens counts --json --source S}) in a fresh JVM inside the table's namespace. */
    private static Map<TcpState, Integer> counts(ScaleTable table, String source) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(table.prefix());
        cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "counts", "--json", "--source", source));
        File err = Files.createTempFile("tcplens-counts", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "counts --source " + source + " did not finish in 60 s");
            assertEquals(0, p.exitValue(), "counts --source " + source + " failed: " + Files.readString(err.toPath()) + out);
            JsonNode json = new ObjectMapper().readTree(out);
            Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
            json.properties().forEach(e -> {
                if (e.getValue().asInt() != 0) m.put(TcpState.valueOf(e.getKey()), e.getValue().asInt());
            });
            return m;
        } finally {
            err.delete();
        }
    }
}
