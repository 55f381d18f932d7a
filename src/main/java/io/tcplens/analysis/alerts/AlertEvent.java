package io.tcplens.analysis.alerts;

import io.tcplens.model.SourceInfo;
import java.util.Locale;

/**
 * A condition that started or stopped holding at one poll.
 *
 * @param fired     true: the condition started to hold; false: it cleared
 * @param rule      the rule
 * @param subject   what it is about for per-destination and per-process rules
 *                  ({@code "10.0.0.2 → 10.0.0.9:443"}, {@code "java (pid 12)"}); null for a whole-table rule
 * @param pid       the process for a per-process rule, else null
 * @param value     the measured value (a count, a percentage)
 * @param atMillis  the poll's time (the snapshot's timestamp)
 * @param source    where the data came from (live, lab…), for the message
 */
public record AlertEvent(boolean fired, AlertRule rule, String subject, Integer pid, double value, long atMillis,
                         SourceInfo source) {

    /** The condition's identity: at most one fired event per key until it clears. */
    public String key() {
        return subject == null ? rule.toString() : rule + "|" + subject;
    }

    /** The measured value as text: "134", "8.2%". */
    public String valueText() {
        if (rule.kind() == AlertRule.Kind.HEADROOM) return String.format(Locale.ROOT, "%.1f%%", value);
        return AlertRule.number(Math.rint(value));
    }

    /**
     * One line for logs and the command line, e.g. {@code ALERT CLOSE_WAIT>100: 134 CLOSE_WAIT sockets
     * (threshold 100) · live · host} or {@code CLEARED headroom<10%: 10.0.0.2 → 10.0.0.9:443 has 23.5% free
     * ephemeral ports (threshold 10%)}.
     */
    public String describe() {
        String what = switch (rule.kind()) {
            case STATE_COUNT -> valueText() + " " + rule.measure();
            case HEADROOM -> subject + " has " + valueText() + " " + rule.measure();
            case CLOSE_WAIT_GROWTH -> subject + ": " + (value >= 0 ? "+" : "") + valueText() + " " + rule.measure();
        };
        return (fired ? "ALERT " : "CLEARED ") + rule + ": " + what + " (threshold " + rule.op().text() + " "
                + rule.thresholdText() + ") · " + source.label();
    }
}
