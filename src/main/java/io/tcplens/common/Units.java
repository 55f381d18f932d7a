package io.tcplens.common;

import java.util.Locale;

/**
 * The one formatter for numbers, durations and sizes shown to people, by the window, the command line
 * and the advisor alike. Locale-independent on purpose: the figures are the same in a screenshot, a
 * terminal and a bug report ("1,234", "4 min 12 s", "1.5 MiB").
 */
public final class Units {
    private Units() {}

    /** A count with thousands separators: "28,232". */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A decimal with {@code digits} places (no separators below 1,000): "1.7", "60.0". */
    public static String decimal(double v, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    /** A percentage of {@code part} in {@code whole} with {@code digits} places, without the sign: "60.0". */
    public static String percent(double part, double whole, int digits) {
        return whole == 0 ? "?" : decimal(100.0 * part / whole, digits);
    }

    /** A rate per second, whole above 10, one decimal below: "1,234/s", "2.5/s". */
    public static String rate(double perSecond) {
        return perSecond >= 10 ? decimal(perSecond, 0) + "/s" : decimal(perSecond, 1) + "/s";
    }

    /** A duration rounded to the second: "45 s", "4 min 12 s", "2 h 3 min", "3 d 4 h". Negative counts as 0. */
    public static String duration(long millis) {
        return duration(millis, LONG_UNITS);
    }

    private static final String[] LONG_UNITS = {" s", " min", " h", " d"}, SHORT_UNITS = {"s", "m", "h", "d"};

    private static String duration(long millis, String[] u) {
        long s = Math.max(0, Math.round(millis / 1000.0));
        if (s < 60) return s + u[0];
        if (s < 3600) return (s / 60) + u[1] + (s % 60 == 0 ? "" : " " + (s % 60) + u[0]);
        if (s < 86_400) return (s / 3600) + u[2] + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + u[1]);
        return (s / 86_400) + u[3] + ((s % 86_400) / 3600 == 0 ? "" : " " + (s % 86_400) / 3600 + u[2]);
    }

    /**
     * The same rounding in a table cell's short form: "45s", "4m 12s", "2h 3m", "3d 4h". The connections
     * table's time-in-state column is ~76 px at 1024 px: "≥ 1 min 15 s" was drawn cut there once a connection
     * had been watched for over a minute.
     */
    public static String shortDuration(long millis) {
        return duration(millis, SHORT_UNITS);
    }

    /** A duration in seconds with one decimal: "2.5 s". */
    public static String seconds(long millis) {
        return decimal(millis / 1000.0, 1) + " s";
    }

    /** A size in bytes, binary units: "512 B", "1.5 KiB", "3.0 MiB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return decimal(v, 1) + " " + units[u];
    }
}
