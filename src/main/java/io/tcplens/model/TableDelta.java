package io.tcplens.model;

import java.util.List;

/**
 * Counts kept from one table to the next by what changed between them: a walk over this table's rows
 * beside the previous table's, in order (the kernel dumps its table in the same order poll after poll,
 * with some sockets gone and some new). A row found among the previous table's a little ahead (the very
 * row object: a reference comparison) is counted already; the previous rows passed over to reach it are
 * not in this table at their place and are taken back; a row not found is added (or, when the counter
 * says so, replaces the previous table's row at the cursor: the same socket, changed); the previous rows
 * after the last one found are taken back. A table in another order (another source) costs a walk and
 * a recount, not a wrong count. The tracker's tables ({@link TrackedRows}) are compared by their
 * trackings where they match in runs: no row read at all (at 100k rows a read per row is a cache miss,
 * every poll, issue 11).
 */
public final class TableDelta {
    /** How far ahead in the previous table a row is looked for before it counts as new. */
    private static final int LOOKAHEAD = 8;
    /**
     * How far ahead it is looked for after a run of rows not found (the 8th, 16th, 32nd… of the run: a block
     * of rows gone from the table): without it the rest of the table would be read as new and the whole
     * previous table taken back. (Every eighth row of a run looked so far was most of the walk's time on a
     * generated table with churn.)
     */
    private static final int FAR = 4096;

    private TableDelta() {}

    /** What a walk tells the counts. */
    public interface Counter {
        /** {@code row} counted ({@code sign} 1) or taken back (-1). */
        void add(SocketEntry row, int sign);

        /**
         * {@code now}, not found among the previous rows, and {@code was}, the previous row at the cursor: when
         * they are the same socket changed at its place, takes {@code was} back and adds {@code now} (cheaper
         * than each on its own, e.g. by state only) and says true; false (the default) adds {@code now} alone and
         * leaves {@code was} to be taken back when passed over.
         */
        default boolean replace(SocketEntry was, SocketEntry now) {
            return false;
        }
    }

    /** Walks {@code rows} beside {@code before} (the table the counts are of), telling {@code counter}; returns the rows read. */
    public static int walk(List<SocketEntry> rows, List<SocketEntry> before, Counter counter) {
        int n = rows.size(), prevCount = before.size();
        int cursor = 0, read = 0, misses = 0;
        TrackedRows now = rows instanceof TrackedRows t && before instanceof TrackedRows ? t : null;
        TrackedRows then = now != null ? (TrackedRows) before : null;
        for (int i = 0; i < n; i++) {
            if (now != null && cursor < prevCount) {
                int run = now.sameRun(i, then, cursor, Math.min(n - i, prevCount - cursor));
                if (run > 0) { // the very trackings, so the same rows: each found at the cursor, nothing passed over, nothing read
                    i += run - 1;
                    cursor += run;
                    misses = 0;
                    continue;
                }
            }
            SocketEntry e = rows.get(i);
            int reach = misses >= LOOKAHEAD && (misses & (misses - 1)) == 0 ? FAR : LOOKAHEAD;
            int found = -1;
            for (int j = cursor, end = Math.min(prevCount, cursor + reach); j < end; j++) {
                if (before.get(j) == e) {
                    found = j;
                    break;
                }
            }
            if (found < 0) {
                read++;
                if (cursor < prevCount && counter.replace(before.get(cursor), e)) {
                    cursor++;
                    misses = 0;
                } else {
                    counter.add(e, 1);
                    misses++;
                }
                continue;
            }
            misses = 0;
            for (int j = cursor; j < found; j++) counter.add(before.get(j), -1); // passed over: not in this table at its place
            cursor = found + 1;
        }
        for (int j = cursor; j < prevCount; j++) counter.add(before.get(j), -1);
        return read;
    }
}
