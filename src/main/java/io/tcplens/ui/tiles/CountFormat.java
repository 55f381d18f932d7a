package io.tcplens.ui.tiles;

import java.text.NumberFormat;
import java.util.Locale;

/** How a tile writes a count: in full with grouping ({@code 14,012}), or compact when space is short ({@code 14.0k}). */
public final class CountFormat {
    private CountFormat() {}

    public static String full(long n, Locale locale) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** 999, 1.2k, 14.0k, 290k, 1.3M — at most four significant characters plus the suffix; never rounds up past the unit. */
    public static String compact(long n) {
        long a = Math.abs(n);
        String sign = n < 0 ? "-" : "";
        if (a < 1_000) return sign + a;
        if (a < 100_000) return sign + oneDecimal(a, 1_000) + "k";
        if (a < 1_000_000) return sign + (a / 1_000) + "k";
        if (a < 100_000_000) return sign + oneDecimal(a, 1_000_000) + "M";
        return sign + (a / 1_000_000) + "M";
    }

    /** Truncates (a tile must not claim more than there is): 14,099 → 14.0. */
    private static String oneDecimal(long a, long unit) {
        long tenths = a * 10 / unit;
        return (tenths / 10) + "." + (tenths % 10);
    }

    /** A signed change: {@code +140}, {@code −2,310}; zero gives "0". */
    public static String delta(long d, Locale locale) {
        if (d == 0) return "0";
        return (d > 0 ? "+" : "\u2212") + full(Math.abs(d), locale);
    }
}
