package io.tcplens.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses "250ms", "1s", "2.5s", "1m". */
public final class Durations {
    private Durations() {}

    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            double v;
            if (t.endsWith("ms")) return check(Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 2)))), text);
            if (t.endsWith("s")) v = Double.parseDouble(t.substring(0, t.length() - 1)) * 1000;
            else if (t.endsWith("m")) v = Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000;
            else v = Double.parseDouble(t) * 1000;
            return check(Duration.ofMillis(Math.round(v)), text);
        } catch (NumberFormatException e) {
            throw new CliException("not a duration: '" + text + "' (use e.g. 250ms, 1s, 2.5s, 1m)");
        }
    }

    private static Duration check(Duration d, String text) {
        if (d.toMillis() < 100) throw new CliException("interval too short: '" + text + "' (minimum 100ms)");
        return d;
    }
}
