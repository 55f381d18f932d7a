package io.tcplens.export.firewall;

/** Why an address is never blocked unless forced. */
public enum ExclusionReason {
    UNSPECIFIED("unspecified address"),
    LOOPBACK("loopback"),
    LINK_LOCAL("link-local"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    OWN_ADDRESS("this machine's own address"),
    GATEWAY("this machine's default gateway"),
    DNS_SERVER("this machine's DNS server"),
    SSH_PEER("the SSH client of this session"),
    ALLOWLIST("on the allowlist");

    private final String text;

    ExclusionReason(String text) {
        this.text = text;
    }

    /** Short English text, e.g. "loopback". */
    public String text() {
        return text;
    }
}
