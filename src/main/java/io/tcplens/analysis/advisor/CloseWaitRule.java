package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.common.Units.count;

import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A process that does not close sockets its peers closed: CLOSE_WAIT growing or old. One finding per owner. */
final class CloseWaitRule implements AdvisorRule {
    static final String ID = "close-wait";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        PollResult r = o.latest();
        long now = r.snapshot().timestampMillis();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Text> names = new HashMap<>();
        Map<String, Long> oldest = new HashMap<>();
        Map<String, Boolean> oldestObserved = new HashMap<>();
        Map<String, TreeSet<String>> remotes = new HashMap<>();
        for (SocketEntry e : SocketsByState.of(r.snapshot()).get(TcpState.CLOSE_WAIT)) {
            String owner = RuleSupport.ownerKey(e);
            counts.merge(owner, 1, Integer::sum);
            names.putIfAbsent(owner, RuleSupport.owner(e));
            TrackedConnection t = r.connections().get(e.key());
            long age = t == null ? 0 : t.timeInStateMillis(now);
            if (age >= oldest.getOrDefault(owner, -1L)) {
                oldest.put(owner, age);
                oldestObserved.put(owner, t != null && t.stateSinceObserved());
            }
            TreeSet<String> rs = remotes.computeIfAbsent(owner, k -> new TreeSet<>());
            if (rs.size() < 3) rs.add(e.remote().toString());
        }
        for (Map.Entry<String, Integer> en : counts.entrySet()) {
            String owner = en.getKey();
            Text name = names.get(owner);
            int c = en.getValue();
            int growth = c - o.first().closeWaitByOwner().getOrDefault(owner, 0);
            long age = oldest.get(owner);
            if (growth < Advisor.CLOSE_WAIT_GROWTH && age < Advisor.CLOSE_WAIT_AGE_MILLIS) continue;
            List<Text> ev = List.of(
                    Text.of(K + ".evidence.count", name, count(c), RuleSupport.signed(growth), Math.round(o.observedSeconds())),
                    Text.of(K + (oldestObserved.get(owner) ? ".evidence.oldest" : ".evidence.oldestAtLeast"), Units.duration(age)),
                    Text.of(K + ".evidence.peers", String.join(", ", remotes.get(owner))));
            List<Text> fixes = List.of(Text.of(K + ".fix.find"), Text.of(K + ".fix.noSysctl"));
            boolean grave = c >= 50 || growth >= Advisor.CLOSE_WAIT_GROWTH;
            out.add(new Finding(ID + "|" + owner, ID, grave ? Finding.Severity.WARNING : Finding.Severity.INFO,
                    Text.of(K + (growth > 0 ? ".title.growing" : ".title"), name, count(c)), ev, fixes, List.of()));
        }
    }
}
