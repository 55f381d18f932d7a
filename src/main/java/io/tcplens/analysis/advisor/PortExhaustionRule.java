package io.tcplens.analysis.advisor;

import static io.tcplens.common.Units.count;
import static io.tcplens.common.Units.decimal;

import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortSpan;
import io.tcplens.common.Units;
import java.util.ArrayList;
import java.util.List;

/** A destination whose ephemeral ports run out (or will, at the measured close rate). One finding per destination. */
final class PortExhaustionRule implements AdvisorRule {
    static final String ID = "port-exhaustion";
    private static final String K = "advice." + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        PortReport ports = o.ports();
        if (ports == null) return;
        KernelSettings settings = o.settings();
        for (DestinationUsage u : ports.destinations()) {
            if (u.level() == DestinationUsage.Level.OK || u.forecast() == null) continue;
            var f = u.forecast();
            double dSec = ports.timeWait().millis() / 1000.0;
            List<Text> ev = new ArrayList<>();
            ev.add(Text.of(K + ".evidence.held", count(u.inUse()), count(u.usable()),
                    Units.percent(u.inUse(), u.usable(), 1), RuleSupport.states(u.byState())));
            ev.add(ports.rateMeasured()
                    ? Text.of(K + ".evidence.rate", decimal(u.closesPerSecond(), 1), decimal(ports.windowSeconds(), 0),
                    decimal(dSec, 0), count(Math.round(u.steadyStateTimeWait())))
                    : Text.of(K + ".evidence.rateUnknown"));
            if (u.coarse() != null) {
                var c = u.coarse();
                ev.add(Text.of(K + ".evidence.coarse", PortReport.shortDuration(c.intervalMillis()), count(c.tuples()),
                        PortReport.shortDuration(c.tupleEveryMillis()), decimal(c.takeoversPerSecond(), 1), PortReport.shortDuration(c.suggestedMillis())));
            }
            ev.add(Text.of(K + ".evidence.maxRate", count(u.usable()), decimal(dSec, 0), decimal(f.maxSustainableRate(), 1)));
            Text when;
            if (f.exhaustedNow()) {
                when = Text.of(K + ".when.now");
                ev.add(Text.of(K + ".evidence.now"));
            } else if (f.willExhaust()) {
                String in = Units.duration(Math.round(f.secondsToExhaustion() * 1000));
                when = Text.of(K + ".when.in", in);
                ev.add(Text.of(K + ".evidence.in", in));
            } else {
                when = Text.of(K + ".when.steady", count(Math.round(f.steadyState())));
                ev.add(Text.of(K + ".evidence.settles", count(Math.round(f.steadyState())), count(u.usable())));
            }
            ev.add(Text.of(K + ".evidence.origin", ports.range().origin(), ports.timeWait().origin()));

            List<Text> fixes = new ArrayList<>();
            List<SysctlSuggestion> sys = new ArrayList<>();
            fixes.add(Text.of(K + ".fix.reuse", u.destination().remote().toString(), Math.round(dSec)));
            String reuse = settings.value(KernelSettings.TW_REUSE).orElse(null);
            String tsv = settings.value(KernelSettings.TIMESTAMPS).orElse(null);
            boolean loopback = u.destination().remote().address().isLoopbackAddress();
            Object delay = settings.value(KernelSettings.TW_REUSE_DELAY).<Object>map(d -> Text.of(K + ".fix.delay", d)).orElse("");
            if ("1".equals(reuse) || ("2".equals(reuse) && loopback)) {
                fixes.add(Text.of(K + ".fix.twReuseOn", reuse, delay,
                        "0".equals(tsv) ? Text.of(K + ".fix.twReuseOn.noTimestamps") : ""));
            } else {
                fixes.add(Text.of(K + ".fix.twReuseSet", reuse == null ? Text.of("advice.absent") : reuse, delay));
                if (reuse != null) sys.add(new SysctlSuggestion(KernelSettings.TW_REUSE, "1", reuse, Text.of(K + ".why.twReuse")));
                if ("0".equals(tsv)) sys.add(new SysctlSuggestion(KernelSettings.TIMESTAMPS, "1", tsv, Text.of(K + ".why.timestamps")));
            }
            int newSize = Advisor.SUGGESTED_RANGE_LAST - Advisor.SUGGESTED_RANGE_FIRST + 1;
            if (ports.range().size() < newSize) {
                List<PortSpan> reserve = RuleSupport.listenersIn(o.listeners(), Advisor.SUGGESTED_RANGE_FIRST,
                        Advisor.SUGGESTED_RANGE_LAST, ports.range().reserved());
                fixes.add(Text.of(K + ".fix.widen", ports.range().first(), ports.range().last(), count(ports.range().size()),
                        Advisor.SUGGESTED_RANGE_FIRST, Advisor.SUGGESTED_RANGE_LAST, count(newSize), Math.round(dSec),
                        reserve.isEmpty() ? Text.of(K + ".fix.widen.end") : Text.of(K + ".fix.widen.reserve", PortSpan.format(reserve))));
                sys.add(new SysctlSuggestion(KernelSettings.PORT_RANGE, Advisor.SUGGESTED_RANGE_FIRST + " " + Advisor.SUGGESTED_RANGE_LAST,
                        settings.value(KernelSettings.PORT_RANGE).orElse(null),
                        Text.of(K + ".why.range", count(newSize), count(ports.range().size()))));
                if (!reserve.isEmpty()) sys.add(new SysctlSuggestion(KernelSettings.RESERVED_PORTS, PortSpan.format(reserve),
                        settings.value(KernelSettings.RESERVED_PORTS).orElse(null), Text.of(K + ".why.reserved")));
            } else {
                fixes.add(Text.of(K + ".fix.wideAlready", count(ports.range().size())));
            }
            fixes.add(Text.of(K + ".fix.spread"));
            Finding.Severity sev = u.level() == DestinationUsage.Level.CRITICAL ? Finding.Severity.CRITICAL : Finding.Severity.WARNING;
            out.add(new Finding(ID + "|" + u.destination(), ID, sev,
                    Text.of(K + ".title", u.destination().toString(), Units.percent(u.inUse(), u.usable(), 0), when),
                    ev, fixes, sys));
        }
    }
}
