package io.tcplens.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each lab marks only its own server ports, on loopback, and forgets them once their TIME_WAIT is surely gone. */
class LabSocketsTest {
    static final InetAddress LO = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress ELSEWHERE = InetAddress.ofLiteral("192.0.2.7");

    static SocketEntry row(InetAddress local, int localPort, InetAddress remote, int remotePort) {
        return new SocketEntry(new ConnectionKey(new Endpoint(local, localPort), new Endpoint(remote, remotePort)),
                TcpState.TIME_WAIT, null, 0, 0, null, null, 0, -1, 0, null, null, false);
    }

    @Test
    void aLabMarksItsOwnServerPortsOnLoopbackOnly() {
        LabSockets mine = new LabSockets(), other = new LabSockets();
        assertFalse(mine.active());
        mine.serverPortInUse(40001);
        assertTrue(mine.active());
        assertTrue(mine.isLab(row(LO, 40001, LO, 51000)), "server side");
        assertTrue(mine.isLab(row(LO, 51000, LO, 40001)), "client side");
        assertFalse(mine.isLab(row(LO, 51000, LO, 40002)), "another port");
        assertFalse(mine.isLab(row(ELSEWHERE, 40001, LO, 51000)), "not loopback");
        assertFalse(other.isLab(row(LO, 40001, LO, 51000)), "no process-wide registry: another lab sees nothing");
    }

    @Test
    void aReleasedPortStaysMarkedForItsAfterlifeOnly() {
        AtomicLong now = new AtomicLong(1_000_000);
        LabSockets s = new LabSockets(now::get);
        s.serverPortInUse(40001);
        s.clientConnected(new Endpoint(LO, 51000));
        s.serverPortReleased(40001);
        now.addAndGet(LabSockets.AFTERLIFE_MS - 1);
        assertTrue(s.isLab(row(LO, 40001, LO, 51000)), "its TIME_WAIT may still be there");
        now.addAndGet(2);
        assertFalse(s.isLab(row(LO, 40001, LO, 51000)), "past the afterlife the port is someone else's");
        assertFalse(s.active());
    }

    @Test
    void onceReleasedTheServersPortIsOnlyTheLabsWithTheLabsOwnClientAtTheOtherEnd() {
        AtomicLong now = new AtomicLong(1_000_000);
        LabSockets s = new LabSockets(now::get);
        s.serverPortInUse(40001);
        s.clientConnected(new Endpoint(LO, 51000));
        assertTrue(s.isLab(row(LO, 40001, LO, 51999)), "listening: any peer of 127.0.0.1:40001 is the lab's");
        s.serverPortReleased(40001);
        assertTrue(s.isLab(row(LO, 51000, LO, 40001)), "the lab client's TIME_WAIT");
        assertTrue(s.isLab(row(LO, 40001, LO, 51000)), "the lab server's TIME_WAIT");
        // the kernel gives the freed port at once to another program's connect() as its local port
        assertFalse(s.isLab(row(LO, 40001, LO, 8080)), "another program's client on the same endpoint");
        assertFalse(s.isLab(row(LO, 51999, LO, 40001)), "another program's server reusing the port");
        s.serverPortInUse(40002); // the next run: the last run's clients keep their afterlife
        assertTrue(s.isLab(row(LO, 51000, LO, 40001)));
        now.addAndGet(LabSockets.AFTERLIFE_MS + 1);
        assertFalse(s.isLab(row(LO, 51000, LO, 40001)));
    }
}
