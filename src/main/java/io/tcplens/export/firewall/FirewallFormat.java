package io.tcplens.export.firewall;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The rule formats TcpLens writes, each with its command-line id, a name and a file extension. */
public enum FirewallFormat {
    NFT("nft", "nftables", "nft", NftablesRules::generate),
    IPTABLES("iptables", "iptables + ip6tables", "sh", IptablesRules::generate),
    IPSET("ipset", "ipset + iptables match-set", "sh", IpsetRules::generate),
    UFW("ufw", "ufw", "sh", UfwRules::generate),
    FIREWALLD("firewalld", "firewalld rich rules", "sh", FirewalldRules::generate),
    POWERSHELL("powershell", "Windows PowerShell (New-NetFirewallRule)", "ps1", PowerShellRules::generate),
    NETSH("netsh", "Windows netsh advfirewall", "cmd", NetshRules::generate),
    PF("pf", "macOS pf", "conf", PfRules::generate);

    private final String id;
    private final String displayName;
    private final String extension;
    private final RuleGenerator generator;

    FirewallFormat(String id, String displayName, String extension, RuleGenerator generator) {
        this.id = id;
        this.displayName = displayName;
        this.extension = extension;
        this.generator = generator;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String extension() {
        return extension;
    }

    /** True for formats whose sets can expire entries (nftables, ipset). */
    public boolean supportsTimeout() {
        return this == NFT || this == IPSET;
    }

    /** The rule text; a plan with a timeout is refused by formats that cannot expire entries. */
    public String generate(BlockPlan plan) {
        if (plan.timeout() != null && !supportsTimeout())
            throw new IllegalArgumentException(displayName + " rules cannot expire; a timeout works with nft and ipset only");
        return generator.generate(plan);
    }

    public static Optional<FirewallFormat> byId(String id) {
        if (id == null) return Optional.empty();
        String t = id.strip().toLowerCase(Locale.ROOT);
        return Stream.of(values()).filter(f -> f.id.equals(t)).findFirst();
    }

    /** "nft, iptables, …" for messages. */
    public static String ids() {
        return Stream.of(values()).map(FirewallFormat::id).collect(Collectors.joining(", "));
    }
}
