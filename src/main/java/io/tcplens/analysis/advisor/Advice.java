package io.tcplens.analysis.advisor;

import java.util.List;

/**
 * What the advisor says about this machine now. Its sentences are {@link Text}s; the window and the
 * command line render them with {@link AdviceText}, and the sysctl.d file with {@link SysctlSnippet}.
 *
 * @param source          where the observed sockets came from
 * @param kernel          kernel / OS description
 * @param observedSeconds how long the advisor watched (growth and rates cover this span)
 * @param settings        the relevant settings, each explained
 * @param findings        what it noticed, most severe first
 */
public record Advice(String source, String kernel, double observedSeconds, List<SettingExplanation> settings,
                     List<Finding> findings) {
    public Advice {
        settings = List.copyOf(settings);
        findings = List.copyOf(findings);
    }

    /** The copyable /etc/sysctl.d file for the findings' sysctl suggestions. */
    public String sysctlSnippet(AdviceText text) {
        return SysctlSnippet.render(findings, text);
    }
}
