package io.tcplens.lab.script;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A player's current step as a socket table, so every view (the state diagram above all) can follow
 * a scripted scenario. Labelled {@link SourceInfo.Kind#SIMULATED}; the hosts use documentation
 * addresses (RFC 5737: 192.0.2.1 and 198.51.100.2) so they never look like real peers.
 */
public final class ScriptSource implements SocketTableSource {
    static final Endpoint HOST_A = new Endpoint(InetAddress.ofLiteral("192.0.2.1"), 50000);
    static final Endpoint HOST_B = new Endpoint(InetAddress.ofLiteral("198.51.100.2"), 80);
    private static final Endpoint ANY = new Endpoint(InetAddress.ofLiteral("0.0.0.0"), 0);

    private final ScenarioPlayer player;
    private final SourceInfo info;
    private final boolean advanceOnPoll;
    private boolean polled;

    /** A source showing whatever step the player is at (the UI steps it). */
    public ScriptSource(ScenarioPlayer player) {
        this(player, false);
    }

    /** @param advanceOnPoll take one step per poll after the first (for the command line) */
    public ScriptSource(ScenarioPlayer player, boolean advanceOnPoll) {
        this.player = player;
        this.advanceOnPoll = advanceOnPoll;
        this.info = new SourceInfo(SourceInfo.Kind.SIMULATED, "script",
                "scripted scenario " + player.script().id() + " (simulated, not the kernel)");
    }

    public ScenarioPlayer player() {
        return player;
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public synchronized Snapshot poll() {
        if (advanceOnPoll && polled) player.forward();
        polled = true;
        List<SocketEntry> rows = new ArrayList<>(3);
        add(rows, player.state(Host.A), HOST_A, HOST_B);
        TcpState b = player.state(Host.B);
        // a listening server keeps its listener while each accepted connection gets a socket of its own
        if (player.script().initialB() == TcpState.LISTEN && b != TcpState.LISTEN) add(rows, TcpState.LISTEN, HOST_B, ANY);
        add(rows, b, HOST_B, HOST_A);
        return new Snapshot(System.currentTimeMillis(), rows, info, List.of());
    }

    private static void add(List<SocketEntry> rows, TcpState s, Endpoint local, Endpoint remote) {
        if (s == TcpState.CLOSED) return;
        ConnectionKey key = new ConnectionKey(local, s == TcpState.LISTEN ? ANY : remote);
        rows.add(new SocketEntry(key, s, null, 0, 0, null, null, 0, -1, 0, null, null, false));
    }
}
