package io.tcplens.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses "250ms", "1s", "2.5s", "1m", "1h" (a bare number is seconds): decimal digits only, at most
 * three decimals, one of the units ms, s, m, h, and a bound — no exponents, hex floats or days, no
 * overflow.
 */
public final class Durations {
    private Durations() {}

    /** Shortest interval between polls. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** Longest interval between polls. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    /** Longest run (--duration, --sample). */
    public static final Duration MAX_SPAN = Duration.ofDays(31);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,3}))?\\s*(ms|s|m|h)?");

    /** An interval between polls: 100ms to 1h. */
    public static Duration parse(String text) {
        Duration d = parseAny(text);
        if (d.compareTo(MIN_INTERVAL) < 0) throw new CliException("interval too short: '" + text + "' (minimum 100ms)");
        if (d.compareTo(MAX_INTERVAL) > 0) throw new CliException("interval too long: '" + text + "' (maximum 1h)");
        return d;
    }

    /** A length of time to run: 0 to 31 days. */
    public static Duration parseSpan(String text) {
        Duration d = parseAny(text);
        if (d.compareTo(MAX_SPAN) > 0) throw new CliException("too long: '" + text + "' (maximum 31 days, 744h)");
        return d;
    }

    private static Duration parseAny(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(t);
        if (!m.matches()) throw new CliException("not a duration: '" + text + "' (use e.g. 250ms, 1s, 2.5s, 1m, 1h)");
        BigDecimal v = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
        String unit = m.group(3) == null ? "s" : m.group(3);
        long perUnit = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        BigDecimal ms = v.multiply(BigDecimal.valueOf(perUnit));
        // at most 9 digits times 3.6e6: always fits a long
        return Duration.ofMillis(ms.setScale(0, RoundingMode.HALF_UP).longValueExact());
    }
}
