package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;

/** The server never closes: CLOSE_WAIT on the server, FIN_WAIT2 on the client, held until the time limit. */
final class CloseWaitLeak implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.NEVER_CLOSE).getLocalPort();
        int n = r.settings().connections();
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).run(n, (c, i, a) -> {
            r.exchange(r.connect(c, port));
            c.close(); // our FIN is acknowledged, the server's never comes: FIN_WAIT2 here, CLOSE_WAIT there
        });
        r.emit(LabEvent.Kind.PHASE, "leakHolding", n, port, r.settings().maxDuration().toSeconds());
        r.pacer().holdUntilDeadline();
    }
}
