package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.common.Units.count;

import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Orphaned FIN_WAIT_2 sockets waiting for peers that never close (the peer's CLOSE_WAIT). */
final class FinWait2OrphansRule implements AdvisorRule {
    static final String ID = "fin-wait2-orphans";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        PollResult r = o.latest();
        long now = r.snapshot().timestampMillis();
        int orphans = 0, owned = 0;
        long oldest = 0;
        boolean oldestObserved = false;
        Map<String, Integer> byRemote = new HashMap<>();
        for (SocketEntry e : SocketsByState.of(r.snapshot()).get(TcpState.FIN_WAIT2)) {
            if (!RuleSupport.isOrphan(e)) {
                owned++;
                continue;
            }
            orphans++;
            byRemote.merge(e.remote().toString(), 1, Integer::sum);
            TrackedConnection t = r.connections().get(e.key());
            long age = t == null ? 0 : t.timeInStateMillis(now);
            if (age >= oldest) {
                oldest = age;
                oldestObserved = t != null && t.stateSinceObserved();
            }
        }
        if (orphans < Advisor.FIN_WAIT2_ORPHANS && (orphans == 0 || oldest < Advisor.FIN_WAIT2_AGE_MILLIS)) return;
        OptionalLong fin = o.settings().number(KernelSettings.FIN_TIMEOUT);
        List<Text> ev = new ArrayList<>();
        ev.add(Text.of(K + (oldestObserved ? ".evidence.orphans" : ".evidence.orphansAtLeast"), count(orphans),
                Units.duration(oldest)));
        Map.Entry<String, Integer> top = RuleSupport.top(byRemote);
        ev.add(Text.of(K + ".evidence.top", top.getKey(), count(top.getValue())));
        ev.add(fin.isPresent() ? Text.of(K + ".evidence.finTimeout", fin.getAsLong()) : Text.of(K + ".evidence.finTimeoutUnknown"));
        if (owned > 0) ev.add(Text.of(K + ".evidence.owned", count(owned)));
        List<Text> fixes = List.of(Text.of(K + ".fix.peer"), Text.of(K + ".fix.finTimeout"));
        List<SysctlSuggestion> sys = new ArrayList<>();
        if (orphans >= 1000 && fin.isPresent() && fin.getAsLong() > 30)
            sys.add(new SysctlSuggestion(KernelSettings.FIN_TIMEOUT, "30", Long.toString(fin.getAsLong()),
                    Text.of(K + ".why", count(orphans))));
        out.add(new Finding(ID, orphans >= 1000 ? Finding.Severity.WARNING : Finding.Severity.INFO,
                Text.of(K + ".title", count(orphans)), ev, fixes, sys));
    }
}
