package io.tcplens.export.firewall;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long blocked entries last where the firewall can expire them (nftables and ipset set timeouts). */
public final class BlockTimeout {
    private BlockTimeout() {}

    public static final Duration MAX = Duration.ofDays(365);
    private static final Pattern TEXT = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    /** Parses {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d} (1 s to 365 d); the message names bad input. */
    public static Duration parse(String text) throws InvalidAddressException {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = TEXT.matcher(t);
        if (!m.matches())
            throw new InvalidAddressException("not a timeout: " + Comments.quote(text == null ? "" : text) + " (use e.g. 90s, 30m, 1h, 7d)");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MAX) > 0) throw new InvalidAddressException("timeout too long: " + Comments.quote(text) + " (at most 365d)");
        return d;
    }

    /** e.g. "1h", "90m", "45s": the largest whole unit. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) return s / 86400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
