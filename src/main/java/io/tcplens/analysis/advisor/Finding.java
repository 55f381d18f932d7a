package io.tcplens.analysis.advisor;

import java.util.List;

/**
 * Something the advisor noticed, with the numbers that triggered it and what to do. The sentences are
 * {@link Text}s (key + arguments), rendered by {@link AdviceText}.
 *
 * @param id       stable id of this finding: the rule's id, and for rules that report per subject
 *                 (destination, process) the subject after a '|', e.g. "close-wait|java (pid 12)"
 * @param rule     stable id of the rule (e.g. "port-exhaustion")
 * @param severity how urgent
 * @param title    one line
 * @param evidence the observed numbers, one per line
 * @param fixes    what to change, best first
 * @param sysctls  the fixes that are sysctls, for the snippet
 */
public record Finding(String id, String rule, Severity severity, Text title, List<Text> evidence, List<Text> fixes,
                      List<SysctlSuggestion> sysctls) {

    public enum Severity { INFO, WARNING, CRITICAL }

    public Finding {
        evidence = List.copyOf(evidence);
        fixes = List.copyOf(fixes);
        sysctls = List.copyOf(sysctls);
    }

    /** A finding of a rule that reports at most once per advice: its id is the rule's. */
    public Finding(String rule, Severity severity, Text title, List<Text> evidence, List<Text> fixes,
                   List<SysctlSuggestion> sysctls) {
        this(rule, rule, severity, title, evidence, fixes, sysctls);
    }
}
