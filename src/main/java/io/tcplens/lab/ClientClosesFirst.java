package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;

/** Short connections; the client closes first, so TIME_WAIT piles up on the client side. */
final class ClientClosesFirst implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.SERVE_UNTIL_CLIENT_CLOSES).getLocalPort();
        int n = r.settings().connections();
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).run(n, (c, i, a) -> {
            r.exchange(r.connect(c, port));
            c.close();
        });
        r.emit(LabEvent.Kind.PHASE, "timeWaitOnClient", n, port);
    }
}
