package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.analysis.advisor.RuleSupport.top;
import static io.tcplens.common.Units.count;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which side closes first: TIME_WAIT on local ephemeral ports (client) or on listening ports (server). */
final class TimeWaitSideRule implements AdvisorRule {
    static final String ID = "timewait-side";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        Map<Endpoint, Integer> clientByDest = new HashMap<>();
        Map<Integer, Integer> serverByPort = new HashMap<>();
        int client = 0, server = 0;
        for (SocketEntry e : SocketsByState.of(o.latest().snapshot()).get(TcpState.TIME_WAIT)) {
            if (o.listeners().isInbound(e)) {
                server++;
                serverByPort.merge(e.local().port(), 1, Integer::sum);
            } else {
                client++;
                clientByDest.merge(e.remote(), 1, Integer::sum);
            }
        }
        if (client + server == 0) return;
        List<Text> ev = new ArrayList<>();
        List<Text> fixes = new ArrayList<>();
        ev.add(Text.of(K + ".evidence.total", count(client + server), count(client), count(server)));
        if (client > 0) {
            Map.Entry<Endpoint, Integer> t = top(clientByDest);
            ev.add(Text.of(K + ".evidence.client", count(client), count(clientByDest.size()), t.getKey().toString(),
                    count(t.getValue())));
            fixes.add(Text.of(K + ".fix.clientReuse"));
            fixes.add(Text.of(K + ".fix.clientServerFirst"));
        }
        if (server > 0) {
            Map.Entry<Integer, Integer> t = top(serverByPort);
            ev.add(Text.of(K + ".evidence.server", count(server), t.getKey(), count(t.getValue())));
            fixes.add(Text.of(K + ".fix.serverCost"));
            fixes.add(Text.of(K + ".fix.serverRestart"));
        }
        fixes.add(Text.of(K + ".fix.notFixes"));
        Text title = client > 0 && server > 0 ? Text.of(K + ".title.both", count(client), count(server))
                : client > 0 ? Text.of(K + ".title.client", count(client))
                : Text.of(K + ".title.server", count(server));
        out.add(new Finding(ID, Finding.Severity.INFO, title, ev, fixes, List.of()));
    }
}
