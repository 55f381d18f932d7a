package io.tcplens.ui.table;

import io.tcplens.io.TerminalText;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpState;
import java.util.List;

/**
 * One row of the connections table, immutable, built off the FX thread.
 *
 * @param entry          the socket as last seen
 * @param status         NEW for a few seconds after it appeared, CLOSED for a few seconds after it left
 * @param timeInStateMs  time in the current state at the poll, or -1 when unknown
 * @param timeInStateIsMinimum true when the socket was already in this state when TcpLens started
 *                       watching: the real time in state is at least {@code timeInStateMs}
 * @param holders        every process holding the socket when several do (fork, SCM_RIGHTS, a pre-fork
 *                       server's listener), lowest pid first; empty otherwise (issue 14)
 */
public record ConnectionRow(SocketEntry entry, Status status, long timeInStateMs, long stateSinceMillis,
                            boolean timeInStateIsMinimum, List<SocketHolders.Holder> holders) {
    public ConnectionRow(SocketEntry entry, Status status, long timeInStateMs, long stateSinceMillis,
                         boolean timeInStateIsMinimum) {
        this(entry, status, timeInStateMs, stateSinceMillis, timeInStateIsMinimum, List.of());
    }

    public ConnectionRow(SocketEntry entry, Status status, long timeInStateMs, long stateSinceMillis) {
        this(entry, status, timeInStateMs, stateSinceMillis, false);
    }

    public enum Status { NORMAL, NEW, CLOSED }

    public ConnectionKey key() {
        return entry.key();
    }

    public TcpState state() {
        return entry.state();
    }

    /**
     * "name (pid)", "name (pid, last known)", or "" when unknown; a loopback-lab socket says so ("· lab");
     * a socket several processes hold names them all, as ss -p does: "nginx (12, 13)", "sshd (9), bash (12)".
     */
    public String processText() {
        return processText(entry, holders);
    }

    /** {@link #processText()} of a socket and its holders, without a row (the table's sort). */
    static String processText(SocketEntry entry, List<SocketHolders.Holder> holders) {
        // a process name is any local user's choice: control and bidi characters are shown as escapes
        // (one line, no right-to-left override turning "gpj.exe" round), as on the terminal (issue 15 #7)
        if (holders.size() > 1) return TerminalText.oneLine(SocketHolders.text(holders)) + (entry.lab() ? " · lab" : "");
        // lab sockets arrive tagged by the engine
        if (entry.pid() == null) return entry.process() != null ? TerminalText.oneLine(entry.process()) + (entry.lab() ? " · lab" : "")
                : entry.lab() ? "TcpLens lab" : "";
        String name = entry.process() == null ? "?" : TerminalText.oneLine(entry.process());
        return name + (entry.lab() ? " · lab" : "") + " (" + entry.pid() + (entry.ownerLastKnown() ? ", last known)" : ")");
    }
}
