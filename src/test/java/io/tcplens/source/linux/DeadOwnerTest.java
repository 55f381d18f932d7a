package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 item 7: a connection handed from process A to its child B (A exits) must not be shown
 * as A's for a moment longer: the poll after A's exit names B. A is a bash that opens the
 * connection ({@code /dev/tcp}), starts {@code sleep} with it, then exits when told.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadOwnerTest {
    @Test
    void theChildIsTheOwnerThePollAfterTheParentExits() throws Exception {
        childTakesOver(new ProcNetSource(Path.of("/proc"), true));
    }

    /**
     * The same through netlink, whose owners stage keeps each socket's owner from the poll before
     * (found by its key's position) and looks up again only the sockets whose owner a scan or a
     * dropped dead owner touched: the handed-over socket is one of them, and a socket this JVM holds
     * beside it keeps this JVM as its owner at every poll.
     */
    @Test
    void theChildIsTheOwnerThePollAfterTheParentExitsThroughNetlink() throws Exception {
        assumeTrue(NetlinkSource.probe().isEmpty(), "needs sock_diag");
        NetlinkSource source = new NetlinkSource(Path.of("/proc"), true);
        try {
            childTakesOver(source);
        } finally {
            source.close();
        }
    }

    private static void childTakesOver(SocketTableSource source) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            Process a = new ProcessBuilder("/bin/bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + port + "; sleep 40 <&3 & read line; exit 0").start();
            try (Socket accepted = server.accept()) {
                int clientPort = accepted.getPort();
                Integer self = (int) ProcessHandle.current().pid();
                Snapshot first = source.poll();
                SocketEntry before = client(first, port, clientPort).orElseThrow();
                assertEquals(self, accepted(first, port, clientPort).orElseThrow().pid(), "this JVM holds the accepted socket");
                assertEquals(self, accepted(source.poll(), port, clientPort).orElseThrow().pid());
                // A or B may be named first (both hold it); both are alive now
                assertTrue(before.pid() != null, "an owner while both live: " + before);
                OutputStream in = a.getOutputStream();
                in.write("go\n".getBytes());
                in.flush();
                assertTrue(a.waitFor(10, TimeUnit.SECONDS), "bash exited");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (Files.isDirectory(Path.of("/proc/" + a.pid()))) { // reaped by waitFor; wait for /proc to agree
                    assertTrue(System.nanoTime() < deadline);
                    Thread.sleep(5);
                }
                Snapshot later = source.poll();
                SocketEntry after = client(later, port, clientPort).orElseThrow();
                assertEquals(self, accepted(later, port, clientPort).orElseThrow().pid(), "still this JVM's");
                assertNotEquals(Integer.valueOf((int) a.pid()), after.pid(), "the exited parent is still named: " + after);
                assertTrue(after.pid() != null, "the child holds it: " + after);
                assertEquals("sleep", after.process(), after.toString());
                assertFalse(after.ownerLastKnown());
                ProcessHandle.of(after.pid()).ifPresent(ProcessHandle::destroy);
            } finally {
                a.destroyForcibly();
            }
        }
    }

    private static Optional<SocketEntry> accepted(Snapshot s, int port, int clientPort) {
        return s.sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED && e.local().port() == port
                && e.remote().port() == clientPort && e.local().address().isLoopbackAddress()).findFirst();
    }

    private static Optional<SocketEntry> client(Snapshot s, int port, int clientPort) {
        return s.sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED && e.remote().port() == port
                && e.local().port() == clientPort && e.local().address().isLoopbackAddress()).findFirst();
    }
}
