package io.tcplens.analysis.advisor;

import java.util.List;

/**
 * Something the advisor noticed, with the numbers that triggered it and what to do.
 *
 * @param rule     stable id of the rule (e.g. "port-exhaustion")
 * @param severity how urgent
 * @param title    one line
 * @param evidence the observed numbers, one per line
 * @param fixes    what to change, best first
 * @param sysctls  the fixes that are sysctls, for the snippet
 */
public record Finding(String rule, Severity severity, String title, List<String> evidence, List<String> fixes,
                      List<SysctlSuggestion> sysctls) {

    public enum Severity { INFO, WARNING, CRITICAL }

    public Finding {
        evidence = List.copyOf(evidence);
        fixes = List.copyOf(fixes);
        sysctls = List.copyOf(sysctls);
    }
}
