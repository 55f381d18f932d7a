package io.tcplens.testutil;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;

/** Crafted socket rows for unit tests. */
public final class Rows {
    private Rows() {}

    /** 127.0.0.1:localPort → 127.0.0.1:remotePort in state s, owned by pid (or none), with an optional TIME_WAIT timer. */
    public static SocketEntry row(int localPort, int remotePort, TcpState s, Integer pid, Long timer) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        return new SocketEntry(new ConnectionKey(new Endpoint(lo, localPort), new Endpoint(lo, remotePort)), s, null,
                0, 0, timer == null ? null : TimerKind.TIME_WAIT, timer, 0, 0, pid == null ? 0 : 1000 + localPort, pid,
                pid == null ? null : "proc" + pid, false);
    }
}
