package io.tcplens.export.firewall;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Parses addresses and CIDR blocks strictly, never touching DNS: dotted quads and IPv6 text with an
 * optional prefix length and nothing else (no host names, inet_aton short forms, ranges, wildcards,
 * masks, zones or leading zeros). A CIDR must not have host bits set. IPv4-mapped IPv6 addresses are
 * turned into the IPv4 address they carry, so that every check sees the real target.
 */
public final class StrictAddresses {
    private StrictAddresses() {}

    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowMask(false)
            .allowPrefixOnly(false).allowWildcardedSeparator(false).allow_inet_aton(false)
            .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowPrefixLengthLeadingZeros(true)
                .allowBinary(false).allowPrefixesBeyondAddressSize(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowLeadingZeros(true).allowPrefixLengthLeadingZeros(true)
                .allowBinary(false).allowPrefixesBeyondAddressSize(false).allowZone(false).allowBase85(false)
                .getParentBuilder()
            .toParams();

    /** A prefix length: digits without a leading zero (the library rejects "/0" when leading zeros are off). */
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    /**
     * Parses one address ({@code 203.0.113.7}, {@code 2001:db8::1}) or CIDR block ({@code 203.0.113.0/24}).
     * The result is a prefix block: a single address has prefix length 32 or 128.
     */
    public static IPAddress parse(String text) throws InvalidAddressException {
        if (text == null || text.isBlank()) throw new InvalidAddressException("empty address");
        String t = text.strip();
        String shown = Comments.quote(t);
        if (t.chars().anyMatch(c -> c < 0x21 || c > 0x7e))
            throw new InvalidAddressException("not an IP address or CIDR: " + shown + " (unexpected character)");
        int slash = t.indexOf('/');
        if (slash >= 0 && !PREFIX.matcher(t.substring(slash + 1)).matches())
            throw new InvalidAddressException("not an IP address or CIDR: " + shown + " (bad prefix length)");
        IPAddressString s = new IPAddressString(t, STRICT);
        IPAddress a;
        try {
            a = s.toAddress();
        } catch (AddressStringException e) {
            throw new InvalidAddressException("not an IP address or CIDR: " + shown + " (" + firstLine(e.getMessage()) + ")");
        }
        if (a == null) throw new InvalidAddressException("not an IP address or CIDR: " + shown);
        Integer prefix = a.getNetworkPrefixLength();
        if (prefix != null) {
            IPAddress block = a.toPrefixBlock();
            if (!a.getLower().withoutPrefixLength().equals(block.getLower().withoutPrefixLength()))
                throw new InvalidAddressException(shown + " has host bits set; the network is "
                        + canonical(normalise(block)));
            return normalise(block);
        }
        return normalise(a.toPrefixBlock(a.getBitCount()));
    }

    /** An address from the socket table (already numeric) as a single-address block. */
    public static IPAddress of(InetAddress address) {
        IPAddress a = address instanceof Inet4Address v4 ? new IPv4Address(v4) : new IPv6Address((Inet6Address) address);
        return normalise(a.toPrefixBlock(a.getBitCount()));
    }

    /** ::ffff:a.b.c.d/96+n → a.b.c.d/n; other blocks unchanged. */
    static IPAddress normalise(IPAddress block) {
        if (block instanceof IPv6Address v6 && v6.isIPv4Mapped()) {
            Integer p = block.getNetworkPrefixLength();
            int prefix = p == null ? 128 : p;
            if (prefix >= 96) {
                IPv4Address v4 = v6.getLower().getEmbeddedIPv4Address();
                return v4.withoutPrefixLength().toPrefixBlock(prefix - 96);
            }
        }
        return block;
    }

    /** Text form for rules: {@code 203.0.113.7} for one address, {@code 203.0.113.0/24} for a block. */
    public static String canonical(IPAddress block) {
        Integer p = block.getNetworkPrefixLength();
        IPAddress lower = block.getLower().withoutPrefixLength();
        String base = lower.isIPv4() ? lower.toCanonicalString() : lower.toCompressedString();
        if (p == null || p == block.getBitCount()) return base;
        return base + "/" + p;
    }

    /** Always with a prefix length, e.g. {@code 203.0.113.7/32} (for tools that want CIDR everywhere). */
    public static String cidr(IPAddress block) {
        Integer p = block.getNetworkPrefixLength();
        IPAddress lower = block.getLower().withoutPrefixLength();
        String base = lower.isIPv4() ? lower.toCanonicalString() : lower.toCompressedString();
        return base + "/" + (p == null ? block.getBitCount() : p);
    }

    private static String firstLine(String s) {
        if (s == null) return "invalid";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return Comments.sanitize(nl < 0 ? t : t.substring(0, nl));
    }
}
