package io.tcplens.lab;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 9: the lab counts this run's sockets only (an earlier run's TIME_WAIT is not this
 * run's), and the ephemeral-range scenario meets the kernel's connect() EADDRNOTAVAIL in a private
 * network namespace with a ten-port range.
 */
class LabRunScopeAndEphemeralRangeTest {
    final Lab lab = new Lab();

    @AfterEach
    void cleanUp() {
        lab.close();
    }

    private String log() {
        var bundle = LabEvent.bundle(Locale.ENGLISH);
        return lab.events().stream().map(e -> e.line(bundle)).collect(Collectors.joining("\n"));
    }

    @Test
    void anEarlierRunsTimeWaitIsNotCountedAsThisRunsSockets() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")));
        lab.start(LabScenario.CLIENT_CLOSES_FIRST, LabSettings.defaults(LabScenario.CLIENT_CLOSES_FIRST).withConnections(20).withRate(200));
        assertTrue(lab.awaitFinished(Duration.ofSeconds(30)), log());
        lab.start(LabScenario.RST_CLOSE, LabSettings.defaults(LabScenario.RST_CLOSE).withConnections(20).withRate(200));
        assertTrue(lab.awaitFinished(Duration.ofSeconds(30)), log());
        ProcNetSource proc = new ProcNetSource(Path.of("/proc"), false);
        Set<ConnectionKey> seen = new HashSet<>();
        List<SocketEntry> labRows = proc.poll().sockets().stream().filter(lab::isLabSocket).filter(e -> seen.add(e.key())).toList();
        long earlierTimeWait = labRows.stream().filter(e -> e.state() == TcpState.TIME_WAIT).count();
        long thisRunTimeWait = labRows.stream().filter(lab::isCurrentRunSocket).filter(e -> e.state() == TcpState.TIME_WAIT).count();
        assertTrue(earlierTimeWait >= 20, "the first run's TIME_WAIT is still in the table: " + earlierTimeWait);
        assertEquals(0, thisRunTimeWait, "an RST close leaves no TIME_WAIT of its own");
    }

    @Test
    void connectWithoutBindMeetsEaddrnotavailWhenTheEphemeralRangeIsSpent() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root for unshare -n");
        lab.start(LabScenario.EPHEMERAL_RANGE, LabSettings.defaults(LabScenario.EPHEMERAL_RANGE).withPortPool(0, 10).withConnections(30));
        assertTrue(lab.awaitFinished(Duration.ofSeconds(60)), log());
        List<LabEvent> refused = lab.events().stream().filter(e -> e.isError() && "EADDRNOTAVAIL".equals(e.errno())).toList();
        assertEquals(1, refused.size(), log());
        assertEquals("connect", refused.get(0).operation(), log());
        assertTrue(refused.get(0).errorText().contains("Cannot assign requested address"), log());
        LabEvent summary = lab.events().stream().filter(e -> e.key().equals("ephemeralSummary")).findFirst().orElseThrow(() -> new AssertionError(log()));
        assertEquals(10, summary.args()[0], "every port of the ten-port range connected once, then none: " + log());
        LabEvent started = lab.events().stream().filter(e -> e.key().equals("ephemeralStarted")).findFirst().orElseThrow(() -> new AssertionError(log()));
        assertEquals(40_000, started.args()[0], log());
        assertEquals(40_009, started.args()[1], log());
    }
}
