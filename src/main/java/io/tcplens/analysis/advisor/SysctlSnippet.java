package io.tcplens.analysis.advisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the sysctl suggestions of a set of findings as a commented /etc/sysctl.d file. */
public final class SysctlSnippet {
    public static final String FILE = "/etc/sysctl.d/90-tcplens.conf";

    private SysctlSnippet() {}

    public static String render(List<Finding> findings, AdviceText text) {
        Map<String, SysctlSuggestion> chosen = new LinkedHashMap<>();
        for (Finding f : findings) for (SysctlSuggestion s : f.sysctls()) chosen.putIfAbsent(s.name(), s);
        StringBuilder sb = new StringBuilder();
        sb.append(text.render(Text.of("snippet.header", FILE))).append('\n');
        if (chosen.isEmpty()) sb.append(text.render(Text.of("snippet.nothing"))).append('\n');
        for (SysctlSuggestion s : chosen.values()) {
            sb.append("\n# ").append(text.render(s.why())).append('\n');
            String source = text.source(s.why());
            if (source != null) sb.append(text.render(Text.of("snippet.source", source))).append('\n');
            sb.append(text.render(Text.of("snippet.current", s.current() == null ? Text.of("snippet.absent") : s.current())))
                    .append('\n');
            sb.append(s.name()).append(" = ").append(s.value()).append('\n');
        }
        sb.append('\n').append(text.render(Text.of("snippet.footer"))).append('\n');
        String footerSource = text.source(Text.of("snippet.footer"));
        if (footerSource != null) sb.append(text.render(Text.of("snippet.source", footerSource))).append('\n');
        return sb.toString();
    }
}
