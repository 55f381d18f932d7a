package io.tcplens.ui.table;

import java.util.Comparator;

/** The table's columns and how each sorts (used off the FX thread; the table's own sort is disabled). */
public enum ConnectionColumn {
    STATE(Comparator.comparing(ConnectionRow::state)),
    LOCAL(Comparator.comparing(r -> r.key().local())),
    REMOTE(Comparator.comparing(r -> r.key().remote())),
    PROCESS(Comparator.comparing(ConnectionRow::processText)),
    TIME_IN_STATE(Comparator.comparingLong(ConnectionRow::timeInStateMs)),
    TIME_WAIT_LEFT(Comparator.comparingLong(r -> r.entry().timeWaitRemainingMs() == null ? -1 : r.entry().timeWaitRemainingMs())),
    SEND_Q(Comparator.comparingLong(r -> r.entry().sendQueue())),
    RECV_Q(Comparator.comparingLong(r -> r.entry().receiveQueue())),
    UID(Comparator.comparingInt(r -> r.entry().uid()));

    private final Comparator<ConnectionRow> comparator;

    ConnectionColumn(Comparator<ConnectionRow> c) {
        this.comparator = c.thenComparing(ConnectionRow::key);
    }

    public Comparator<ConnectionRow> comparator(boolean ascending) {
        return ascending ? comparator : comparator.reversed();
    }
}
