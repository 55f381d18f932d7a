package io.tcplens.export.prometheus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cardinality rule of the exporter: the N largest keys keep their own label values, the rest
 * are summed into one {@code other} series, so a scrape never carries more than N+1 values of a
 * label however many destinations, processes or networks the table holds.
 */
public final class TopN {
    /** The label value of the summed remainder. */
    public static final String OTHER = "other";

    private TopN() {}

    /**
     * @param kept  the N largest, largest first
     * @param rest  the keys beyond N, in the same order (empty when there were at most N)
     */
    public record Split<K>(List<K> kept, List<K> rest) {
        public boolean hasRest() {
            return !rest.isEmpty();
        }
    }

    /** Splits keys ranked by {@code order} (first = most important) after the first {@code n}. */
    public static <K> Split<K> split(List<K> ranked, int n) {
        if (ranked.size() <= n) return new Split<>(List.copyOf(ranked), List.of());
        return new Split<>(List.copyOf(ranked.subList(0, n)), List.copyOf(ranked.subList(n, ranked.size())));
    }

    /** Splits the keys of {@code counts} by count (largest first; ties by key text, so the cut is stable). */
    public static <K> Split<K> byCount(Map<K, Integer> counts, int n) {
        List<K> keys = new ArrayList<>(counts.keySet());
        keys.sort(Comparator.comparing((K k) -> counts.get(k)).reversed().thenComparing(String::valueOf));
        return split(keys, n);
    }
}
