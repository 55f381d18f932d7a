package io.tcplens.analysis.advisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the sysctl suggestions of a set of findings as a commented /etc/sysctl.d file. */
public final class SysctlSnippet {
    public static final String FILE = "/etc/sysctl.d/90-tcplens.conf";

    private SysctlSnippet() {}

    public static String render(List<Finding> findings) {
        Map<String, SysctlSuggestion> chosen = new LinkedHashMap<>();
        for (Finding f : findings) for (SysctlSuggestion s : f.sysctls()) chosen.putIfAbsent(s.name(), s);
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(FILE).append(" — suggested by TcpLens from what it observed.\n");
        sb.append("# Review each line, then apply with: sudo sysctl --system\n");
        if (chosen.isEmpty()) {
            sb.append("#\n# No sysctl change would help with what was observed.\n");
        }
        for (SysctlSuggestion s : chosen.values()) {
            sb.append("\n# ").append(s.why()).append('\n');
            sb.append("# current value: ").append(s.current() == null ? "(absent)" : s.current()).append('\n');
            sb.append(s.name()).append(" = ").append(s.value()).append('\n');
        }
        sb.append("\n# Deliberately absent: net.ipv4.tcp_tw_recycle (removed in Linux 4.12; it broke clients behind NAT)\n");
        sb.append("# and net.ipv4.tcp_fin_timeout as a TIME_WAIT fix (it bounds orphaned FIN_WAIT_2; TIME_WAIT is a fixed 60 s).\n");
        return sb.toString();
    }
}
