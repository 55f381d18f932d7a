package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;

/**
 * An address or block that block rules must not touch.
 *
 * @param block  the protected prefix block
 * @param reason why
 * @param detail where it came from, e.g. "eth0" or "allowlist entry 10.0.0.0/8" (may be empty)
 */
public record ProtectedNetwork(IPAddress block, ExclusionReason reason, String detail) {
    /** e.g. "loopback (127.0.0.0/8)" or "this machine's own address (eth0)". */
    public String describe() {
        String where = detail == null || detail.isBlank() ? StrictAddresses.canonical(block) : Comments.sanitize(detail);
        return reason.text() + " (" + where + ")";
    }
}
