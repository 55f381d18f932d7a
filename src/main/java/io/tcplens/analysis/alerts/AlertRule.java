package io.tcplens.analysis.alerts;

import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One alert threshold, written as text the command line ({@code tcplens watch --alert RULE}) and the
 * window's settings share:
 * <ul>
 * <li>{@code STATE>N} (also {@code >=}, {@code <}, {@code <=}): the count of sockets in that state,
 *     e.g. {@code CLOSE_WAIT>100}, {@code SYN_RECV>=500}; {@code total>N} counts every socket. State
 *     names as {@code tcplens explain} takes them (TIME-WAIT, ESTAB…).</li>
 * <li>{@code headroom<P%}: per destination (local address → remote address:port), the share of the
 *     usable ephemeral ports still free is below P %, e.g. {@code headroom<10%}.</li>
 * <li>{@code closewait-growth>N/D}: per owning process, CLOSE_WAIT grew by more than N within the
 *     last D (a duration: 30s, 5m, 1h; default 5m), e.g. {@code closewait-growth>20/5m}.</li>
 * </ul>
 * A rule fires when its condition starts to hold and clears when the value is back past the
 * threshold by a margin of 10 % of it (rounded down: {@code CLOSE_WAIT>100} fires at 101 and clears at
 * 90 or less; {@code CLOSE_WAIT>5} clears at 5), so a value wavering at the threshold does not fire
 * on every poll.
 *
 * @param kind      what is measured
 * @param state     the state counted ({@link Kind#STATE_COUNT}); null for the total
 * @param op        the comparison
 * @param threshold the limit (a count, a percentage for headroom)
 * @param windowMillis growth window ({@link Kind#CLOSE_WAIT_GROWTH}), else 0
 */
public record AlertRule(Kind kind, TcpState state, Op op, double threshold, long windowMillis) {
    public static final long DEFAULT_GROWTH_WINDOW_MILLIS = 5 * 60_000;

    public enum Kind {
        /** Sockets in one state (or all): one condition for the whole table. */
        STATE_COUNT,
        /** Free share of a destination's usable ephemeral ports: one condition per destination. */
        HEADROOM,
        /** Growth of a process's CLOSE_WAIT count over a window: one condition per process. */
        CLOSE_WAIT_GROWTH
    }

    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        boolean holds(double value, double limit) {
            return switch (this) {
                case GT -> value > limit;
                case GE -> value >= limit;
                case LT -> value < limit;
                case LE -> value <= limit;
            };
        }

        boolean upward() {
            return this == GT || this == GE;
        }
    }

    public AlertRule {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(op);
        if (!(threshold >= 0) || Double.isInfinite(threshold)) throw new IllegalArgumentException("threshold must be a number ≥ 0");
        if (kind == Kind.HEADROOM && (threshold > 100 || op.upward()))
            throw new IllegalArgumentException("headroom takes < or <= and a percentage from 0 to 100");
        if (kind == Kind.CLOSE_WAIT_GROWTH && (!op.upward() || windowMillis < 1000))
            throw new IllegalArgumentException("closewait-growth takes > or >= and a window of at least 1s");
    }

    public static AlertRule stateAbove(TcpState s, int n) {
        return new AlertRule(Kind.STATE_COUNT, s, Op.GT, n, 0);
    }

    public static AlertRule headroomBelow(double percent) {
        return new AlertRule(Kind.HEADROOM, null, Op.LT, percent, 0);
    }

    public static AlertRule closeWaitGrowth(int n, long windowMillis) {
        return new AlertRule(Kind.CLOSE_WAIT_GROWTH, null, Op.GT, n, windowMillis);
    }

    /** Whether {@code value} meets the condition. */
    public boolean holds(double value) {
        return op.holds(value, threshold);
    }

    /** Whether {@code value} is far enough back on the safe side for a fired condition to clear. */
    public boolean clears(double value) {
        double margin = Math.floor(threshold * 0.1);
        return !op.holds(value, op.upward() ? threshold - margin : threshold + margin);
    }

    /** The canonical text, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case STATE_COUNT -> (state == null ? "total" : state.name()) + op.text() + number(threshold);
            case HEADROOM -> "headroom" + op.text() + number(threshold) + "%";
            case CLOSE_WAIT_GROWTH -> "closewait-growth" + op.text() + number(threshold) + "/" + duration(windowMillis);
        };
    }

    /** What is measured, in words: "CLOSE_WAIT sockets", "free ephemeral ports", "CLOSE_WAIT growth in 5m". */
    public String measure() {
        return switch (kind) {
            case STATE_COUNT -> (state == null ? "sockets" : state.name() + " sockets");
            case HEADROOM -> "free ephemeral ports";
            case CLOSE_WAIT_GROWTH -> "CLOSE_WAIT growth in " + duration(windowMillis);
        };
    }

    /** The threshold as written (no ".0" for whole numbers), with "%" for headroom. */
    public String thresholdText() {
        return number(threshold) + (kind == Kind.HEADROOM ? "%" : "");
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.valueOf(v);
    }

    static String duration(long ms) {
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /**
     * Reads one rule; throws IllegalArgumentException with one line that says what is wrong and shows
     * the syntax.
     */
    public static AlertRule parse(String text) {
        if (text == null || text.isBlank()) throw bad(text, "empty rule");
        String t = text.strip().replace(" ", "");
        int at = -1;
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) == '<' || t.charAt(i) == '>') { at = i; break; }
        if (at <= 0) throw bad(text, "no comparison (>, >=, <, <=)");
        String name = t.substring(0, at);
        boolean eq = at + 1 < t.length() && t.charAt(at + 1) == '=';
        Op op = t.charAt(at) == '>' ? (eq ? Op.GE : Op.GT) : (eq ? Op.LE : Op.LT);
        String rest = t.substring(at + (eq ? 2 : 1));
        if (rest.isEmpty()) throw bad(text, "no threshold after " + op.text());
        String lower = name.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("headroom")) {
                if (!op.upward() && rest.endsWith("%")) rest = rest.substring(0, rest.length() - 1);
                else if (op.upward()) throw bad(text, "headroom alerts when it falls: use < or <=, e.g. headroom<10%");
                else throw bad(text, "headroom is a percentage, e.g. headroom<10%");
                double p = decimal(text, rest);
                if (p > 100) throw bad(text, "headroom is a percentage from 0 to 100");
                return new AlertRule(Kind.HEADROOM, null, op, p, 0);
            }
            if (lower.equals("closewait-growth") || lower.equals("close_wait-growth") || lower.equals("close-wait-growth")) {
                if (!op.upward()) throw bad(text, "closewait-growth alerts when it rises: use > or >=, e.g. closewait-growth>20/5m");
                long window = DEFAULT_GROWTH_WINDOW_MILLIS;
                int slash = rest.indexOf('/');
                if (slash >= 0) {
                    window = window(text, rest.substring(slash + 1));
                    rest = rest.substring(0, slash);
                }
                return new AlertRule(Kind.CLOSE_WAIT_GROWTH, null, op, whole(text, rest), window);
            }
            TcpState state = null;
            if (!lower.equals("total")) {
                state = TcpState.parse(name).orElseThrow(() -> bad(text, "'" + name
                        + "' is not a TCP state, total, headroom or closewait-growth"));
            }
            return new AlertRule(Kind.STATE_COUNT, state, op, whole(text, rest), 0);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("alert '")) throw e;
            throw bad(text, e.getMessage());
        }
    }

    /** Reads rules separated by ';' or new lines (the stored setting); blank parts are skipped. */
    public static List<AlertRule> parseAll(String text) {
        List<AlertRule> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split("[;\\n]")) if (!part.isBlank()) out.add(parse(part));
        return out;
    }

    /** The rules as one setting, {@code "CLOSE_WAIT>100; headroom<10%"}. */
    public static String format(List<AlertRule> rules) {
        return String.join("; ", rules.stream().map(AlertRule::toString).toList());
    }

    public static final String SYNTAX = "STATE>N (e.g. CLOSE_WAIT>100, TIME_WAIT>=20000, total>50000), headroom<P% "
            + "(e.g. headroom<10%) or closewait-growth>N/D (e.g. closewait-growth>20/5m)";

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("alert '" + (text == null ? "" : text.strip()) + "': " + why + "; write " + SYNTAX);
    }

    private static long whole(String text, String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > 100_000_000) throw bad(text, "threshold out of range (0…100000000): " + s);
            return v;
        } catch (NumberFormatException e) {
            throw bad(text, "the threshold is not a whole number: '" + s + "'");
        }
    }

    private static double decimal(String text, String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3})?")) throw bad(text, "the percentage is not a number: '" + s + "'");
        return Double.parseDouble(s);
    }

    private static long window(String text, String s) {
        Matcher m = Pattern.compile("(\\d{1,6})(ms|s|m|h)").matcher(s);
        if (!m.matches()) throw bad(text, "the window is not a duration such as 30s, 5m or 1h: '" + s + "'");
        long n = Long.parseLong(m.group(1));
        long ms = switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
        if (ms < 1000 || ms > 24 * 3_600_000L) throw bad(text, "the window must be from 1s to 24h");
        return ms;
    }
}
