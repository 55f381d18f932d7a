package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The client binds to each port of a small pool in turn until the kernel refuses (EADDRINUSE/EADDRNOTAVAIL). */
final class PortExhaustion implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        LabSettings s = r.settings();
        int port = r.server().listen(0, true, LabServer.Policy.SERVE_UNTIL_CLIENT_CLOSES).getLocalPort();
        int size = s.portPoolSize();
        int start = s.portPoolStart() != 0 ? s.portPoolStart() : r.lab().freePortBlock(Lab.SERVER_ADDRESS, size);
        r.lab().poolPortsInUse(start, size);
        r.emit(LabEvent.Kind.PHASE, "poolStarted", start, start + size - 1, s.reuseAddress() ? 1 : 0,
                s.holdOpen() ? 1 : 0, r.lab().sysctl("net.ipv4.tcp_tw_reuse"));
        int[] ok = {0}, failed = {0};
        new ClientLoop(r, "poolFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).withoutProgress().onFailure(i -> {
            if (failed[0]++ == 0) r.emit(LabEvent.Kind.PHASE, "poolDry", ok[0], r.elapsedMillis());
        }).run(s.connections(), (c, i, a) -> {
            int local = start + i % size;
            a.local(new Endpoint(Lab.SERVER_ADDRESS, local));
            a.op("bind");
            c.setReuseAddress(s.reuseAddress());
            c.bind(new InetSocketAddress(Lab.SERVER_ADDRESS, local));
            a.op("connect");
            r.connect(c, port);
            a.op("read");
            r.exchange(c);
            ok[0]++;
            if (s.holdOpen()) a.keepOpen();
            else c.close(); // client closes first: TIME_WAIT keeps (127.0.0.1:local → server) for 60 s
        });
        r.emit(LabEvent.Kind.PHASE, "poolSummary", ok[0], failed[0], size);
        if (s.holdOpen()) r.pacer().holdUntilDeadline();
    }
}
