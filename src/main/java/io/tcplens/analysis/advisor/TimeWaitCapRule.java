package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import static io.tcplens.common.Units.count;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** TIME_WAIT near tcp_max_tw_buckets, or the kernel already destroying TIME_WAIT sockets over it. */
final class TimeWaitCapRule implements AdvisorRule {
    static final String ID = "timewait-cap";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        OptionalLong cap = o.settings().number(KernelSettings.MAX_TW_BUCKETS);
        int tw = SocketsByState.of(o.latest().snapshot()).get(TcpState.TIME_WAIT).size();
        OptionalLong overflow = o.last().counters().delta(o.first().counters(), NetstatCounters.TIME_WAIT_OVERFLOW);
        boolean near = cap.isPresent() && cap.getAsLong() > 0 && tw >= Advisor.TW_BUCKETS_FRACTION * cap.getAsLong();
        boolean overflowed = RuleSupport.positive(overflow);
        if (!near && !overflowed) return;
        List<Text> ev = new ArrayList<>();
        ev.add(Text.of(K + ".evidence.count", count(tw), RuleSupport.count(cap)));
        if (overflow.isPresent())
            ev.add(Text.of(K + ".evidence.overflow", count(overflow.getAsLong()), Math.round(o.observedSeconds())));
        List<SysctlSuggestion> sys = new ArrayList<>();
        List<Text> fixes = new ArrayList<>();
        fixes.add(Text.of(K + ".fix.fewer"));
        if (overflowed && cap.isPresent()) {
            fixes.add(Text.of(K + ".fix.raise"));
            sys.add(new SysctlSuggestion(KernelSettings.MAX_TW_BUCKETS, Long.toString(cap.getAsLong() * 2),
                    Long.toString(cap.getAsLong()), Text.of(K + ".why")));
        }
        out.add(new Finding(ID, overflowed ? Finding.Severity.WARNING : Finding.Severity.INFO,
                Text.of(K + (overflowed ? ".title.overflowed" : ".title.near")), ev, fixes, sys));
    }
}
