package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;

/** Keep-alive off: the server closes after each reply, so TIME_WAIT piles up on the server side. */
final class ServerClosesFirst implements ScenarioRun {
    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        int port = r.server().listen(0, true, LabServer.Policy.CLOSE_AFTER_REPLY).getLocalPort();
        int n = r.settings().connections();
        new ClientLoop(r, "clientFailed", new Endpoint(Lab.SERVER_ADDRESS, port)).run(n, (c, i, a) -> {
            r.exchange(r.connect(c, port));
            LabRun.drain(c); // we close when we see the server's FIN
            c.close();
        });
        r.emit(LabEvent.Kind.PHASE, "timeWaitOnServer", n, port);
    }
}
