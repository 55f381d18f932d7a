package io.tcplens.analysis.advisor;

import java.util.List;
import java.util.OptionalLong;

/** tcp_tw_recycle on (kernels before 4.12): connections from clients behind NAT are dropped. */
final class TwRecycleRule implements AdvisorRule {
    static final String ID = "tw-recycle";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        OptionalLong recycle = o.settings().number(KernelSettings.TW_RECYCLE);
        if (recycle.isEmpty() || recycle.getAsLong() == 0) return;
        String k = "advice." + ID;
        out.add(new Finding(ID, Finding.Severity.CRITICAL, Text.of(k + ".title"),
                List.of(Text.of(k + ".evidence", recycle.getAsLong())),
                List.of(Text.of(k + ".fix")),
                List.of(new SysctlSuggestion(KernelSettings.TW_RECYCLE, "0", Long.toString(recycle.getAsLong()),
                        Text.of(k + ".why")))));
    }
}
