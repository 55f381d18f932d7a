package io.tcplens.analysis.advisor;

/**
 * A sysctl change the advisor suggests, for the copyable sysctl.d snippet.
 *
 * @param name    sysctl name
 * @param value   suggested value
 * @param current current value, or null when absent
 * @param why     one-line comment explaining it
 */
public record SysctlSuggestion(String name, String value, String current, Text why) {}
