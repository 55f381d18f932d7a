package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.analysis.advisor.RuleSupport.positive;
import static io.tcplens.common.Units.count;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.Comparator;
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
        for (SocketEntry e : SocketsByState.of(o.latest().snapshot()).get(TcpState.SYN_RECV)) {
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
        SocketsByState split = SocketsByState.of(o.latest().snapshot());
        List<SocketEntry> listenAndSynRecv = new ArrayList<>(split.get(TcpState.LISTEN)); // all the bounds read
        listenAndSynRecv.addAll(split.get(TcpState.SYN_RECV));
        List<SynQueueBound> bounds = SynQueueBound.of(listenAndSynRecv, o.settings());
        boolean anyFull = bounds.stream().anyMatch(b -> b.synRecv() > 0 && b.full());
        if (syn < Advisor.SYN_RECV_COUNT && growth < Advisor.SYN_RECV_GROWTH && !counterGrew && !anyFull) return;
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
        // the bound the kernel really keeps per listening port (measured: SynQueueBound), fullest first
        List<SynQueueBound> busy = new ArrayList<>();
        for (SynQueueBound b : bounds) if (b.synRecv() > 0) busy.add(b);
        busy.sort(Comparator.comparing(SynQueueBound::full).reversed()
                .thenComparing(Comparator.comparingInt(SynQueueBound::synRecv).reversed()));
        for (SynQueueBound b : busy.subList(0, Math.min(3, busy.size())))
            ev.add(Text.of(K + ".evidence.bound", b.port(), count(b.synRecv()), count(b.bound()), limitText(b, somax)));
        List<Text> fixes = new ArrayList<>();
        List<SysctlSuggestion> sys = new ArrayList<>();
        if ("0".equals(sc)) {
            fixes.add(Text.of(K + ".fix.cookies"));
            sys.add(new SysctlSuggestion(KernelSettings.SYNCOOKIES, "1", sc, Text.of(K + ".why.cookies")));
        }
        SynQueueBound full = busy.stream().filter(b -> b.full() && b.limit() != SynQueueBound.Limit.ALWAYS_COOKIES)
                .findFirst().orElse(null);
        if (full != null && full.limit() == SynQueueBound.Limit.MAX_SYN_BACKLOG && backlog.isPresent()) {
            // the one case tcp_max_syn_backlog bounds them: cookies off and its ¾ below the backlog
            long want = Math.max(backlog.getAsLong() * 2, neededMaxSynBacklog(full.backlogKnown() ? full.backlog() : somax.orElse(4096)));
            fixes.add(Text.of(K + ".fix.maxSynBacklog", full.port(), backlog.getAsLong(),
                    count(SynQueueBound.maxSynBacklogBound(backlog.getAsLong())), want));
            sys.add(new SysctlSuggestion(KernelSettings.MAX_SYN_BACKLOG, Long.toString(want),
                    Long.toString(backlog.getAsLong()), Text.of(K + ".why.maxSynBacklog", full.port())));
        } else if (full != null) {
            boolean capped = full.backlogKnown() && somax.isPresent() && full.backlog() >= somax.getAsLong();
            fixes.add(Text.of(K + (full.limit() == SynQueueBound.Limit.BACKLOG_DROPS ? ".fix.backlogFull.drops" : ".fix.backlogFull.cookies"),
                    full.port(), full.backlogKnown() ? count(full.backlog()) : "?", RuleSupport.count(somax)));
            if (capped && somax.getAsLong() < 65_535)
                sys.add(new SysctlSuggestion(KernelSettings.SOMAXCONN, Long.toString(Math.min(65_535, somax.getAsLong() * 2)),
                        Long.toString(somax.getAsLong()), Text.of(K + ".why.somaxconnSyn", full.port())));
        }
        if (positive(ovf)) {
            fixes.add(Text.of(K + ".fix.overflow", RuleSupport.count(ovf)));
            if (somax.isPresent() && somax.getAsLong() < 65_535 && sys.stream().noneMatch(x -> x.name().equals(KernelSettings.SOMAXCONN)))
                sys.add(new SysctlSuggestion(KernelSettings.SOMAXCONN, Long.toString(Math.min(65_535, somax.getAsLong() * 2)),
                        Long.toString(somax.getAsLong()), Text.of(K + ".why.somaxconn")));
        }
        if (net != null && syn >= 20 && net.getValue() * 2 > syn)
            fixes.add(Text.of(K + ".fix.network", net.getKey(), count(net.getValue()), count(syn)));
        if (fixes.isEmpty())
            fixes.add(Text.of(K + ".fix.linger", Text.of("0".equals(sc) ? "advice.off" : "advice.on")));
        boolean grave = positive(drops) || positive(cookies) || anyFull;
        out.add(new Finding(ID, grave ? Finding.Severity.WARNING : Finding.Severity.INFO,
                Text.of(K + (positive(ovf) && syn < Advisor.SYN_RECV_COUNT ? ".title.overflow" : ".title.pile"), count(syn)),
                ev, fixes, sys));
    }

    /** Why a port's bound is what it is, in one fragment. */
    private static Text limitText(SynQueueBound b, OptionalLong somax) {
        String backlog = b.backlogKnown() ? count(b.backlog()) : "?";
        return switch (b.limit()) {
            case ALWAYS_COOKIES -> Text.of(K + ".limit.always");
            case MAX_SYN_BACKLOG -> Text.of(K + ".limit.maxSyn", backlog, b.listeners());
            case BACKLOG_DROPS -> b.backlogKnown() ? Text.of(K + ".limit.drops", backlog, b.listeners())
                    : Text.of(K + ".limit.drops.unknown", RuleSupport.count(somax), b.listeners());
            case BACKLOG_COOKIES -> b.backlogKnown() ? Text.of(K + ".limit.cookies", backlog, b.listeners())
                    : Text.of(K + ".limit.cookies.unknown", RuleSupport.count(somax), b.listeners());
        };
    }

    /** The smallest tcp_max_syn_backlog whose bound (−¼, +1) reaches a listen() backlog + 1. */
    static long neededMaxSynBacklog(long listenBacklog) {
        long m = Math.max(1, listenBacklog);
        while (SynQueueBound.maxSynBacklogBound(m) < listenBacklog + 1) m++;
        return m;
    }
}
