package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.common.Units.count;

import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.ObjectIntHashMap;
import com.carrotsearch.hppc.cursors.IntIntCursor;
import com.carrotsearch.hppc.cursors.ObjectIntCursor;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
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

    /** {@link RuleSupport#top} of a primitive map: the largest count, ties by the key's text. */
    private static <K> Map.Entry<K, Integer> top(ObjectIntHashMap<K> m) {
        K best = null;
        int bestCount = 0;
        for (ObjectIntCursor<K> c : m) {
            if (best == null || c.value > bestCount || (c.value == bestCount && c.key.toString().compareTo(best.toString()) < 0)) {
                best = c.key;
                bestCount = c.value;
            }
        }
        return best == null ? null : Map.entry(best, bestCount);
    }

    /** As {@link #top(ObjectIntHashMap)} for ports. */
    private static Map.Entry<Integer, Integer> top(IntIntHashMap m) {
        int best = 0, bestCount = 0;
        boolean any = false;
        for (IntIntCursor c : m) {
            if (!any || c.value > bestCount || (c.value == bestCount && Integer.toString(c.key).compareTo(Integer.toString(best)) < 0)) {
                best = c.key;
                bestCount = c.value;
                any = true;
            }
        }
        return any ? Map.entry(best, bestCount) : null;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        // counted in primitive maps (at 100k sockets some 28k TIME_WAIT rows a poll: no Integer per count past 127)
        ObjectIntHashMap<Endpoint> clientByDest = new ObjectIntHashMap<>();
        IntIntHashMap serverByPort = new IntIntHashMap();
        int client = 0, server = 0;
        for (SocketEntry e : SocketsByState.of(o.latest().snapshot()).get(TcpState.TIME_WAIT)) {
            if (o.listeners().isInbound(e)) {
                server++;
                serverByPort.addTo(e.local().port(), 1);
            } else {
                client++;
                clientByDest.addTo(e.remote(), 1);
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
