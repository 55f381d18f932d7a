package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;

/**
 * A requested address or block left out of the rules (or, when forced, kept in spite of this).
 *
 * @param requested   what was asked for
 * @param reason      the rule it broke
 * @param explanation one line for people, e.g. "127.0.0.1 is loopback (127.0.0.0/8)"
 */
public record Exclusion(IPAddress requested, ExclusionReason reason, String explanation) {
    public String address() {
        return StrictAddresses.canonical(requested);
    }
}
