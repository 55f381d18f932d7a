package io.tcplens.analysis.advisor;

/**
 * One kernel setting as the advisor explains it.
 *
 * @param name    sysctl name, e.g. net.ipv4.tcp_fin_timeout
 * @param value   current value as the kernel prints it, or null when this kernel does not have it
 * @param meaning what it does, in one plain sentence (for this value)
 * @param doesNot what it does NOT do, the common misreading
 */
public record SettingExplanation(String name, String value, Text meaning, Text doesNot) {
    public boolean present() {
        return value != null;
    }
}
