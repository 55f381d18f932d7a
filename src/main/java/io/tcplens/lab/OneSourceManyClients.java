package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Many connections from one source address (a NAT load balancer, {@link Lab#BALANCER_ADDRESS}) to one
 * server port, the server closing first: new SYNs land on the server's TIME_WAIT for the same 4-tuple.
 */
final class OneSourceManyClients implements ScenarioRun {
    private static final long TIME_WAIT_NANOS = 60_000_000_000L;

    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.CLOSE_AFTER_REPLY).getLocalPort();
        int size = r.settings().portPoolSize();
        int start = r.settings().portPoolStart() != 0 ? r.settings().portPoolStart()
                : r.lab().freePortBlock(Lab.BALANCER_ADDRESS, size);
        r.lab().poolPortsInUse(start, size);
        String balancer = Lab.BALANCER_ADDRESS.getHostAddress();
        r.emit(LabEvent.Kind.PHASE, "natStarted", balancer, start, start + size - 1, port);
        Map<Integer, Long> serverClosedAt = new HashMap<>();
        int n = r.settings().connections();
        int[] reusedOverTimeWait = {0};
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).run(n, (c, i, a) -> {
            int local = start + i % size;
            a.local(new Endpoint(Lab.BALANCER_ADDRESS, local));
            a.op("bind");
            c.setReuseAddress(true);
            c.bind(new InetSocketAddress(Lab.BALANCER_ADDRESS, local));
            a.op("connect");
            r.connect(c, port);
            Long before = serverClosedAt.get(local);
            if (before != null && System.nanoTime() - before < TIME_WAIT_NANOS && ++reusedOverTimeWait[0] == 1)
                r.emit(LabEvent.Kind.PHASE, "natSynOverTimeWait", balancer, local, port);
            a.op("read");
            r.exchange(c);
            LabRun.drain(c); // the server closes first
            c.close();
            serverClosedAt.put(local, System.nanoTime());
        });
        r.emit(LabEvent.Kind.PHASE, "natSummary", n, size, reusedOverTimeWait[0], port);
    }
}
