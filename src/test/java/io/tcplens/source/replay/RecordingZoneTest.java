package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Map;

/** Issue 14: record → replay keeps the link-local zone ({@code [fe80::1%veth0]}), in keyframes and in diffs. */
class RecordingZoneTest {
    @TempDir
    Path dir;

    private static SocketEntry linkLocal(int ifIndex, String ifName, TcpState state) {
        Endpoint local = new Endpoint(InetAddress.ofLiteral("fe80::1"), 8080, ifIndex, ifName);
        Endpoint remote = new Endpoint(InetAddress.ofLiteral("fe80::2"), 40000, ifIndex, ifName);
        return new SocketEntry(new ConnectionKey(local, remote), state, KernelTcpState.valueOf(state.name()), 0, 0,
                null, null, 0, 0, 100 + ifIndex, null, null, false);
    }

    private static Set<String> shown(Snapshot s) {
        Set<String> out = new TreeSet<>();
        for (SocketEntry e : s.sockets()) out.add(e.local() + " " + e.remote() + " " + e.state());
        return out;
    }

    @Test
    void zonesSurviveKeyframesAndDiffsAndTheSameTupleOnTwoInterfacesStaysTwoConnections() throws Exception {
        SocketEntry a = linkLocal(3, "veth0", TcpState.ESTABLISHED);
        SocketEntry b = linkLocal(4, "veth1", TcpState.ESTABLISHED);
        SocketEntry noName = linkLocal(9, null, TcpState.ESTABLISHED); // the name could not be found: the index is the zone
        SocketEntry plain = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 1),
                new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 2)), TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, 7, null, null, false);
        long t = 1_764_000_000_000L;
        List<Snapshot> snaps = List.of(
                new Snapshot(t, List.of(a, b, noName, plain), RecordingRoundTripTest.LIVE, List.of()),
                // a diff: veth1's connection changes state (a put), veth0's closes (a del with its zone)
                new Snapshot(t + 1000, List.of(linkLocal(4, "veth1", TcpState.CLOSE_WAIT), noName, plain), RecordingRoundTripTest.LIVE, List.of()));
        Path f = dir.resolve("zones.tcplens");
        try (RecordingWriter w = new RecordingWriter(f, RecordingRoundTripTest.LIVE, TimeWaitDuration.LINUX, 1000, t)) {
            for (Snapshot s : snaps) w.append(s);
        }
        Recording r = RecordingReader.read(f);
        assertTrue(r.stop().isEmpty(), () -> "stop: " + r.stop());
        assertEquals(2, r.header().format());
        assertEquals(Set.of("[fe80::1%veth0]:8080 [fe80::2%veth0]:40000 ESTABLISHED",
                        "[fe80::1%veth1]:8080 [fe80::2%veth1]:40000 ESTABLISHED",
                        "[fe80::1%9]:8080 [fe80::2%9]:40000 ESTABLISHED",
                        "127.0.0.1:1 127.0.0.1:2 ESTABLISHED"), shown(r.snapshot(0)));
        assertEquals(Set.of("[fe80::1%veth1]:8080 [fe80::2%veth1]:40000 CLOSE_WAIT",
                        "[fe80::1%9]:8080 [fe80::2%9]:40000 ESTABLISHED",
                        "127.0.0.1:1 127.0.0.1:2 ESTABLISHED"), shown(r.snapshot(1)));
        for (int i = 0; i < 2; i++) RecordingRoundTripTest.assertSameSnapshot(snaps.get(i), r.snapshot(i), "#" + i);
    }

    @Test
    void everyHolderOfASharedSocketSurvivesAndAChangeOfHoldersAloneIsRecorded() throws Exception {
        SocketEntry listener = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral("0.0.0.0"), 80),
                new Endpoint(InetAddress.ofLiteral("0.0.0.0"), 0)), TcpState.LISTEN, KernelTcpState.LISTEN, 511, 0, null, null, 0, 0,
                4242, 100, "nginx", false);
        var three = Map.of(4242L, List.of(new SocketHolders.Holder(100, "nginx"), new SocketHolders.Holder(101, "nginx"),
                new SocketHolders.Holder(102, null)));
        var two = Map.of(4242L, List.of(new SocketHolders.Holder(100, "nginx"), new SocketHolders.Holder(101, "nginx")));
        long t = 1_764_000_000_000L;
        List<Snapshot> snaps = List.of(
                new Snapshot(t, List.of(listener), RecordingRoundTripTest.LIVE, List.of(), SocketHolders.of(three)),
                new Snapshot(t + 1000, List.of(listener), RecordingRoundTripTest.LIVE, List.of(), SocketHolders.of(two)), // a worker ended
                new Snapshot(t + 2000, List.of(listener), RecordingRoundTripTest.LIVE, List.of(), SocketHolders.NONE)); // one left
        Path f = dir.resolve("holders.tcplens");
        try (RecordingWriter w = new RecordingWriter(f, RecordingRoundTripTest.LIVE, TimeWaitDuration.LINUX, 1000, t)) {
            for (Snapshot s : snaps) w.append(s);
        }
        Recording r = RecordingReader.read(f);
        for (int i = 0; i < snaps.size(); i++) assertEquals(snaps.get(i).holders(), r.snapshot(i).holders(), "record " + i);
        for (int i = snaps.size() - 1; i >= 0; i--) assertEquals(snaps.get(i).holders(), r.snapshot(i).holders(), "back to " + i);
    }
}
