package io.tcplens.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address formatting and ordering helpers that never touch DNS. */
public final class Addresses {
    private Addresses() {}

    /** Compact text form: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as ::). */
    public static String format(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** IPv4 before IPv6, then by the address bytes. */
    public static int compare(InetAddress x, InetAddress y) {
        // an Inet4Address's hash code is its address: no byte arrays for the common case (tables sort 100k rows)
        if (x instanceof Inet4Address && y instanceof Inet4Address) return Integer.compareUnsigned(x.hashCode(), y.hashCode());
        byte[] a = x.getAddress(), b = y.getAddress();
        if (a.length != b.length) return Integer.compare(a.length, b.length);
        return Arrays.compareUnsigned(a, b);
    }

    /** Wraps raw bytes (4 or 16) without any name lookup. */
    public static InetAddress fromBytes(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + raw.length + " bytes", e);
        }
    }
}
