package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The server closes connections, stops and binds its port again, with or without SO_REUSEADDR. */
final class ServerRestart implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        boolean reuse = r.settings().reuseAddress();
        ServerSocket first = r.server().listen(0, reuse, LabServer.Policy.CLOSE_AFTER_REPLY);
        int port = first.getLocalPort();
        int n = r.settings().connections();
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).withoutProgress().run(n, (c, i, a) -> {
            r.exchange(r.connect(c, port));
            LabRun.drain(c); // the server closes first
            c.close();
        });
        r.pacer().pause(200);
        Lab.closeQuietly(first);
        r.unregister(first);
        r.emit(LabEvent.Kind.PHASE, "serverStopped", port, n);
        r.pacer().pause(300);
        ServerSocket again = new ServerSocket();
        r.register(again);
        try {
            again.setReuseAddress(reuse);
            again.bind(new InetSocketAddress(Lab.SERVER_ADDRESS, port), 50);
            r.emit(LabEvent.Kind.LISTENING, "restartOk", port, reuse ? 1 : 0);
        } catch (IOException e) {
            r.pacer().checkStopped();
            r.error("bind", e, "restartFailed", new Endpoint(Lab.SERVER_ADDRESS, port), null, port);
        }
    }
}
