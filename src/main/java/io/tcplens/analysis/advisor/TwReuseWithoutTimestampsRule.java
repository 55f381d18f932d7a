package io.tcplens.analysis.advisor;

import java.util.List;
import java.util.OptionalLong;

/** tcp_tw_reuse on while tcp_timestamps is off: the setting cannot work. */
final class TwReuseWithoutTimestampsRule implements AdvisorRule {
    static final String ID = "tw-reuse-without-timestamps";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void check(Observation o, List<Finding> out) {
        OptionalLong reuse = o.settings().number(KernelSettings.TW_REUSE);
        OptionalLong ts = o.settings().number(KernelSettings.TIMESTAMPS);
        if (reuse.isEmpty() || reuse.getAsLong() == 0 || ts.isEmpty() || ts.getAsLong() != 0) return;
        String k = "advice." + ID;
        out.add(new Finding(ID, Finding.Severity.WARNING, Text.of(k + ".title", reuse.getAsLong()),
                List.of(Text.of(k + ".evidence.reuse", reuse.getAsLong()), Text.of(k + ".evidence.timestamps")),
                List.of(Text.of(k + ".fix")),
                List.of(new SysctlSuggestion(KernelSettings.TIMESTAMPS, "1", "0", Text.of(k + ".why")))));
    }
}
