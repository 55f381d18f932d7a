package io.tcplens.cli;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Test access to {@code snapshot}'s table format. */
public final class SnapshotCommandAccess {
    private SnapshotCommandAccess() {}

    public static String table(List<SocketEntry> rows, SocketHolders holders) {
        StringWriter w = new StringWriter();
        try (PrintWriter out = new PrintWriter(w)) {
            SnapshotCommand.table(out, rows, holders);
        }
        return w.toString();
    }
}
