package io.tcplens.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.Await;
import io.tcplens.ui.table.ConnectionRow;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Each scenario run briefly on real loopback sockets; the assertions read the kernel's own table. */
@EnabledOnOs(OS.LINUX)
class LabScenarioTest {
    final Lab lab = new Lab();
    final ProcNetSource proc = new ProcNetSource(Path.of("/proc"), false);
    final ResourceBundle bundle = LabEvent.bundle(Locale.ENGLISH);
    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    @AfterEach
    void cleanUp() {
        lab.close();
    }

    void runToEnd(LabScenario s, LabSettings settings) throws Exception {
        lab.start(s, settings);
        assertTrue(lab.awaitFinished(Duration.ofSeconds(30)), "the run did not finish");
    }

    int serverPort() {
        return lab.events().stream().filter(e -> e.key().equals("listening")).map(e -> (Integer) e.args()[0])
                .findFirst().orElseThrow();
    }

    /** The lab server's endpoint: 127.0.0.1 and the port it listened on (one run here, one server). */
    Endpoint server() {
        return new Endpoint(LOOPBACK, serverPort());
    }

    /**
     * The lab's sockets in the kernel's table: what the lab marks as its own, and with the lab
     * server's full endpoint (address and port) at one end, since another program's socket can share
     * the port number on another loopback address.
     */
    List<SocketEntry> kernel(Predicate<SocketEntry> p) throws Exception {
        Endpoint server = server();
        Set<ConnectionKey> seen = new HashSet<>();
        return proc.poll().sockets().stream().filter(lab::isLabSocket)
                .filter(e -> e.local().equals(server) || e.remote().equals(server)).filter(p)
                .filter(e -> seen.add(e.key())) // a /proc read is not atomic: a busy table can list a row twice
                .toList();
    }

    long count(TcpState state, Predicate<SocketEntry> p) throws Exception {
        return kernel(e -> e.state() == state && p.test(e)).size();
    }

    List<LabEvent> errors(String errno) {
        return lab.events().stream().filter(e -> e.isError() && errno.equals(e.errno())).toList();
    }

    String log() {
        StringBuilder sb = new StringBuilder();
        for (LabEvent e : lab.events()) sb.append(e.line(bundle)).append('\n');
        return sb.toString();
    }

    @Test
    void clientClosesFirstLeavesTimeWaitOnTheClientSide() throws Exception {
        runToEnd(LabScenario.CLIENT_CLOSES_FIRST, LabSettings.defaults(LabScenario.CLIENT_CLOSES_FIRST)
                .withConnections(20).withRate(200));
        Endpoint server = server();
        assertEquals(20, count(TcpState.TIME_WAIT, e -> e.remote().equals(server)), log());
        assertEquals(0, count(TcpState.TIME_WAIT, e -> e.local().equals(server)), log());
        assertTrue(log().contains("the client side holds each in TIME_WAIT"), log());
        // every view can tell them apart: the engine tags them in the data (owner shown as "TcpLens lab")
        List<SocketEntry> tw = kernel(e -> e.state() == TcpState.TIME_WAIT && e.remote().equals(server));
        assertTrue(tw.stream().allMatch(lab.sockets()::isLab));
        assertEquals("TcpLens lab", new ConnectionRow(tw.get(0).withLab(true),
                ConnectionRow.Status.NORMAL, -1, 0).processText());
        try (var engine = new PollingEngine(new ProcNetSource(),
                Duration.ofSeconds(1))) {
            engine.setLabMatcher(lab.sockets()::isLab);
            var marked = engine.pollOnce().snapshot().sockets().stream()
                    .filter(e -> e.state() == TcpState.TIME_WAIT && e.remote().equals(server)).toList();
            assertEquals(20, marked.size());
            assertTrue(marked.stream().allMatch(SocketEntry::lab), "tagged in the engine's snapshot");
            assertTrue(marked.stream().noneMatch(e -> e.process() != null && e.process().contains("lab")),
                    "process names are not rewritten");
        }
        assertFalse(proc.poll().sockets().stream().filter(e -> !e.local().address().isLoopbackAddress())
                .anyMatch(lab.sockets()::isLab), "nothing off loopback is marked");
    }

    @Test
    void serverClosesFirstLeavesTimeWaitOnTheServerSide() throws Exception {
        runToEnd(LabScenario.SERVER_CLOSES_FIRST, LabSettings.defaults(LabScenario.SERVER_CLOSES_FIRST)
                .withConnections(20).withRate(200));
        Endpoint server = server();
        assertEquals(20, count(TcpState.TIME_WAIT, e -> e.local().equals(server)), log());
        assertEquals(0, count(TcpState.TIME_WAIT, e -> e.remote().equals(server)), log());
    }

    @Test
    void rstCloseLeavesNoTimeWaitAndTheServerSeesAReset() throws Exception {
        runToEnd(LabScenario.RST_CLOSE, LabSettings.defaults(LabScenario.RST_CLOSE).withConnections(20).withRate(200));
        assertEquals(0, count(TcpState.TIME_WAIT, e -> true), log());
        assertTrue(kernel(e -> true).isEmpty(), log());
        // RST leaves nothing behind, so the kernel may give the server's port at once to another
        // program's connect() (it did, beside CI's neighbours): that socket is not the lab's
        try (var other = new java.net.ServerSocket(0, 5, LOOPBACK);
                var c = new java.net.Socket()) {
            c.bind(new java.net.InetSocketAddress(LOOPBACK, serverPort()));
            c.connect(other.getLocalSocketAddress(), 5000);
            try (var accepted = other.accept()) {
                Endpoint foreign = new Endpoint(LOOPBACK, c.getLocalPort());
                assertEquals(server(), foreign);
                assertTrue(proc.poll().sockets().stream().anyMatch(e -> e.local().equals(foreign)
                        && e.remote().equals(new Endpoint(LOOPBACK, other.getLocalPort()))), "in the kernel's table");
                assertTrue(kernel(e -> true).isEmpty(), "another program's socket on the lab server's endpoint");
            }
        }
        List<LabEvent> resets = errors("ECONNRESET");
        assertFalse(resets.isEmpty(), log());
        assertTrue(resets.get(0).errorText().contains("Connection reset"), resets.get(0).errorText());
    }

    @Test
    void keepAliveMakesAlmostNoTimeWait() throws Exception {
        runToEnd(LabScenario.KEEP_ALIVE, LabSettings.defaults(LabScenario.KEEP_ALIVE).withConnections(40).withRate(400));
        long tw = count(TcpState.TIME_WAIT, e -> true);
        assertTrue(tw >= 1 && tw <= 4, "40 requests over 4 connections left " + tw + " TIME_WAIT\n" + log());
        assertTrue(lab.events().stream().noneMatch(LabEvent::isError), log());
    }

    @Test
    void aSmallPortPoolRunsDryWithTheKernelsOwnError() throws Exception {
        runToEnd(LabScenario.PORT_EXHAUSTION, LabSettings.defaults(LabScenario.PORT_EXHAUSTION)
                .withConnections(15).withRate(300).withPortPool(0, 5));
        List<LabEvent> inUse = errors("EADDRINUSE");
        assertEquals(10, inUse.size(), log());
        LabEvent first = inUse.get(0);
        assertEquals("bind", first.operation());
        assertTrue(first.errorText().contains("Address already in use"), first.errorText());
        assertTrue(first.timeMillis() > 0);
        assertTrue(log().contains("The pool ran dry after 5 connections"), log());
        assertEquals(5, count(TcpState.TIME_WAIT, e -> e.local().address().equals(LOOPBACK)
                && lab.poolPorts().contains(e.local().port())), log());
    }

    @Test
    void aPoolHeldOpenWithReuseAddressGivesCannotAssignRequestedAddress() throws Exception {
        lab.start(LabScenario.PORT_EXHAUSTION, LabSettings.defaults(LabScenario.PORT_EXHAUSTION)
                .withConnections(8).withRate(300).withPortPool(0, 4).withReuseAddress(true).withHoldOpen(true)
                .withMaxDuration(Duration.ofSeconds(20)));
        Await.until(() -> errors("EADDRNOTAVAIL").size() >= 4, Duration.ofSeconds(10), "four EADDRNOTAVAIL errors");
        List<LabEvent> notAvail = errors("EADDRNOTAVAIL");
        assertEquals(4, notAvail.size(), log());
        assertEquals("connect", notAvail.get(0).operation());
        assertTrue(notAvail.get(0).errorText().contains("Cannot assign requested address"), notAvail.get(0).errorText());
        Endpoint server = server();
        assertEquals(4, count(TcpState.ESTABLISHED, e -> e.remote().equals(server)), log());
        lab.stop();
        assertFalse(lab.isRunning());
        assertEquals(0, count(TcpState.ESTABLISHED, e -> true),
                "stop() closed every lab socket");
    }

    @Test
    void serverRestartWithoutReuseAddressIsRefusedAndWithItSucceeds() throws Exception {
        runToEnd(LabScenario.SERVER_RESTART, LabSettings.defaults(LabScenario.SERVER_RESTART).withRate(200));
        List<LabEvent> refused = errors("EADDRINUSE");
        assertEquals(1, refused.size(), log());
        assertEquals("bind", refused.get(0).operation());
        assertTrue(refused.get(0).errorText().contains("Address already in use"), refused.get(0).errorText());
        Endpoint server = server();
        assertEquals(5, count(TcpState.TIME_WAIT, e -> e.local().equals(server)), log());

        Lab second = new Lab();
        try {
            second.start(LabScenario.SERVER_RESTART, LabSettings.defaults(LabScenario.SERVER_RESTART).withRate(200)
                    .withReuseAddress(true));
            assertTrue(second.awaitFinished(Duration.ofSeconds(30)));
            assertTrue(second.events().stream().anyMatch(e -> e.key().equals("restartOk")), second.events().toString());
            assertTrue(second.events().stream().noneMatch(LabEvent::isError));
        } finally {
            second.close();
        }
    }

    @Test
    void closeWaitLeakShowsCloseWaitOnTheServerAndFinWait2OnTheClient() throws Exception {
        lab.start(LabScenario.CLOSE_WAIT_LEAK, LabSettings.defaults(LabScenario.CLOSE_WAIT_LEAK).withConnections(10)
                .withRate(200).withMaxDuration(Duration.ofSeconds(20)));
        Await.until(() -> lab.events().stream().anyMatch(e -> e.key().equals("leakHolding")), Duration.ofSeconds(10),
                "the lab holding its leaked sockets");
        Endpoint server = server();
        // the clients' FINs are in flight when the lab says it holds: wait until the table shows all ten
        Await.untilChecked(() -> count(TcpState.CLOSE_WAIT, e -> e.local().equals(server)) == 10
                && count(TcpState.FIN_WAIT2, e -> e.remote().equals(server)) == 10, Duration.ofSeconds(10),
                "10 CLOSE_WAIT on the server, 10 FIN_WAIT2 on the clients");
        assertEquals(10, count(TcpState.CLOSE_WAIT, e -> e.local().equals(server)), log());
        assertEquals(10, count(TcpState.FIN_WAIT2, e -> e.remote().equals(server)), log());
        assertTrue(lab.isRunning(), "holds until stopped");
        lab.stop();
        assertEquals(0, count(TcpState.CLOSE_WAIT, e -> e.local().equals(server)), "stop() closed the leaked sockets");
    }

    @Test
    void manyClientsFromOneAddressFillTheServersTimeWaitWithOneRemote() throws Exception {
        runToEnd(LabScenario.ONE_SOURCE_MANY_CLIENTS, LabSettings.defaults(LabScenario.ONE_SOURCE_MANY_CLIENTS)
                .withConnections(15).withRate(200).withPortPool(0, 5));
        Endpoint server = server();
        List<SocketEntry> tw = kernel(e -> e.state() == TcpState.TIME_WAIT && e.local().equals(server));
        assertEquals(5, tw.size(), "one TIME_WAIT per 4-tuple\n" + log());
        assertTrue(tw.stream().allMatch(e -> e.remote().host().equals("127.0.0.2")), tw.toString());
        assertTrue(lab.events().stream().anyMatch(e -> e.key().equals("natSynOverTimeWait")), log());
        assertTrue(lab.events().stream().noneMatch(LabEvent::isError), log());
    }

    @Test
    void badSettingsAreRefusedInOneLine() {
        LabSettings bad = LabSettings.defaults(LabScenario.CLIENT_CLOSES_FIRST).withConnections(0);
        IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> lab.start(LabScenario.CLIENT_CLOSES_FIRST, bad));
        assertTrue(e.getMessage().startsWith("connections must be"), e.getMessage());
        assertTrue(LabSettings.defaults(LabScenario.PORT_EXHAUSTION).withPortPool(80, 5).problem().isPresent());
        assertTrue(LabSettings.defaults(LabScenario.PORT_EXHAUSTION).withMaxDuration(Duration.ofHours(1)).problem().isPresent());
    }

    @Test
    void everyEventKeyHasAMessage() throws Exception {
        for (LabScenario s : LabScenario.values()) {
            assertFalse(bundle.getString(s.titleKey()).isBlank());
            assertFalse(bundle.getString(s.descriptionKey()).isBlank());
        }
        runToEnd(LabScenario.PORT_EXHAUSTION, LabSettings.defaults(LabScenario.PORT_EXHAUSTION)
                .withConnections(6).withRate(300).withPortPool(0, 3));
        for (LabEvent e : lab.events()) assertTrue(bundle.containsKey("lab.event." + e.key()), e.key());
    }
}
