package io.tcplens.analysis.advisor;

import static io.tcplens.analysis.advisor.RuleSupport.positive;
import static io.tcplens.common.Units.count;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Half-open connections piling up, or the listen queues overflowing (SYN flood, slow accept()). */
final class SynRecvRule implements AdvisorRule {
    static final String ID = "syn-recv";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        int syn = 0;
        Map<Integer, Integer> byPort = new HashMap<>();
        Map<String, Integer> byNet = new HashMap<>();
        for (SocketEntry e : o.latest().snapshot().sockets()) {
            if (e.state() != TcpState.SYN_RECV) continue;
            syn++;
            byPort.merge(e.local().port(), 1, Integer::sum);
            byNet.merge(RuleSupport.network(e.remote()), 1, Integer::sum);
        }
        NetstatCounters first = o.first().counters(), last = o.last().counters();
        int growth = syn - o.first().synRecv();
        OptionalLong ovf = last.delta(first, NetstatCounters.LISTEN_OVERFLOWS);
        OptionalLong drops = last.delta(first, NetstatCounters.LISTEN_DROPS);
        OptionalLong cookies = last.delta(first, NetstatCounters.SYNCOOKIES_SENT);
        boolean counterGrew = positive(ovf) || positive(drops) || positive(cookies);
        if (syn < Advisor.SYN_RECV_COUNT && growth < Advisor.SYN_RECV_GROWTH && !counterGrew) return;
        long secs = Math.round(o.observedSeconds());
        List<Text> ev = new ArrayList<>();
        ev.add(Text.of(K + ".evidence.now", count(syn), RuleSupport.signed(growth), secs));
        if (!byPort.isEmpty()) {
            Map.Entry<Integer, Integer> p = RuleSupport.top(byPort);
            ev.add(Text.of(K + ".evidence.port", p.getKey(), count(p.getValue())));
        }
        Map.Entry<String, Integer> net = byNet.isEmpty() ? null : RuleSupport.top(byNet);
        if (net != null) ev.add(Text.of(K + ".evidence.network", net.getKey(), count(net.getValue()), count(syn)));
        if (!last.isEmpty())
            ev.add(Text.of(K + ".evidence.counters", secs, RuleSupport.count(ovf), RuleSupport.count(drops),
                    RuleSupport.count(cookies), RuleSupport.count(last.get(NetstatCounters.LISTEN_OVERFLOWS)),
                    RuleSupport.count(last.get(NetstatCounters.LISTEN_DROPS)),
                    RuleSupport.count(last.get(NetstatCounters.SYNCOOKIES_SENT))));
        else ev.add(Text.of(K + ".evidence.noCounters"));
        KernelSettings settings = o.settings();
        String sc = settings.value(KernelSettings.SYNCOOKIES).orElse("?");
        OptionalLong backlog = settings.number(KernelSettings.MAX_SYN_BACKLOG);
        OptionalLong somax = settings.number(KernelSettings.SOMAXCONN);
        ev.add(Text.of(K + ".evidence.settings", sc, RuleSupport.count(backlog), RuleSupport.count(somax)));
        List<Text> fixes = new ArrayList<>();
        List<SysctlSuggestion> sys = new ArrayList<>();
        if ("0".equals(sc)) {
            fixes.add(Text.of(K + ".fix.cookies"));
            sys.add(new SysctlSuggestion(KernelSettings.SYNCOOKIES, "1", sc, Text.of(K + ".why.cookies")));
        }
        if (backlog.isPresent() && syn >= backlog.getAsLong() / 2) {
            fixes.add(Text.of(K + ".fix.backlog", count(backlog.getAsLong())));
            sys.add(new SysctlSuggestion(KernelSettings.MAX_SYN_BACKLOG, Long.toString(backlog.getAsLong() * 2),
                    Long.toString(backlog.getAsLong()), Text.of(K + ".why.backlog", count(syn))));
        }
        if (positive(ovf)) {
            fixes.add(Text.of(K + ".fix.overflow", RuleSupport.count(ovf)));
            if (somax.isPresent() && somax.getAsLong() < 65_535)
                sys.add(new SysctlSuggestion(KernelSettings.SOMAXCONN, Long.toString(Math.min(65_535, somax.getAsLong() * 2)),
                        Long.toString(somax.getAsLong()), Text.of(K + ".why.somaxconn")));
        }
        if (net != null && syn >= 20 && net.getValue() * 2 > syn)
            fixes.add(Text.of(K + ".fix.network", net.getKey(), count(net.getValue()), count(syn)));
        if (fixes.isEmpty())
            fixes.add(Text.of(K + ".fix.linger", Text.of("0".equals(sc) ? "advice.off" : "advice.on")));
        boolean grave = positive(drops) || positive(cookies) || (backlog.isPresent() && syn >= backlog.getAsLong() / 2);
        out.add(new Finding(ID, grave ? Finding.Severity.WARNING : Finding.Severity.INFO,
                Text.of(K + (positive(ovf) && syn < Advisor.SYN_RECV_COUNT ? ".title.overflow" : ".title.pile"), count(syn)),
                ev, fixes, sys));
    }
}
