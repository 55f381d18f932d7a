package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;

/** The client closes with SO_LINGER 0: an RST instead of a FIN, no TIME_WAIT, the server sees a reset. */
final class RstClose implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.SERVE_UNTIL_CLIENT_CLOSES).getLocalPort();
        int n = r.settings().connections();
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).run(n, (c, i, a) -> {
            r.exchange(r.connect(c, port));
            c.setSoLinger(true, 0);
            c.close();
        });
        r.pacer().pause(300); // let the server's reads see the resets
        r.emit(LabEvent.Kind.PHASE, "rstNoTimeWait", n, port);
    }
}
