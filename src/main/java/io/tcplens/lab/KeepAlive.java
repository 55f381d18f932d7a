package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** The same requests over a few persistent connections: almost no TIME_WAIT. */
final class KeepAlive implements ScenarioRun {
    private static final int POOL = 4;

    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.SERVE_UNTIL_CLIENT_CLOSES).getLocalPort();
        int n = r.settings().connections();
        int poolSize = Math.min(POOL, n);
        List<Socket> pool = new ArrayList<>();
        for (int i = 0; i < poolSize; i++) {
            Socket c = new Socket();
            r.register(c);
            c.setKeepAlive(true);
            pool.add(r.connect(c, port));
        }
        r.emit(LabEvent.Kind.PHASE, "keepAlivePool", poolSize, port);
        for (int i = 0; i < n; i++) {
            r.pacer().pace(i);
            Socket c = pool.get(i % poolSize);
            try {
                r.exchange(c);
            } catch (IOException e) {
                r.pacer().checkStopped();
                r.error("read", e, "clientFailed", new Endpoint(c.getLocalAddress(), c.getLocalPort()),
                        new Endpoint(Lab.SERVER_ADDRESS, port));
            }
            r.progress(i + 1, n);
        }
        for (Socket c : pool) {
            Lab.closeQuietly(c);
            r.unregister(c);
        }
        r.emit(LabEvent.Kind.PHASE, "keepAliveDone", n, poolSize);
    }
}
