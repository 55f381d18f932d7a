package io.tcplens.source;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpInfoReadings;
import java.util.List;

/**
 * Something that yields the TCP table: the kernel (netlink, /proc, OSHI), a recording or a lab.
 * Implementations are created by a {@link SocketTableSourceProvider} and polled from one thread.
 */
public interface SocketTableSource extends AutoCloseable {

    SourceInfo info();

    /**
     * Reads the table now. Problems that spoil part of the answer (a malformed line, an unreadable
     * /proc/PID) become {@link Snapshot#warnings()}; only a source that cannot answer at all throws.
     */
    Snapshot poll() throws SourceException;

    /**
     * Whether the caller needs each socket's owning process. A command that prints only counts says
     * no, so a source that finds owners by scanning processes (Linux) skips that work; sources
     * without owners ignore it. Default: wanted.
     */
    default void setOwnersWanted(boolean wanted) {}

    /**
     * Whether the caller needs each connection's traffic counters (the kernel's tcp_info). A command that
     * prints only counts says no, so netlink does not ask the kernel for them (at 100k sockets they are a
     * third of a poll). Default: wanted; sources without them ignore it.
     */
    default void setTcpInfoWanted(boolean wanted) {}

    /**
     * Whose traffic counters the next polls carry (see {@link TcpInfoDemand}): a source that can ask for
     * single sockets' counters (netlink) dumps the table without them and asks for those sockets alone.
     * Default: {@link #setTcpInfoWanted} with whether any are wanted.
     */
    default void setTcpInfoDemand(TcpInfoDemand demand) {
        setTcpInfoWanted(!demand.none());
    }

    /**
     * The counters the last {@link #poll} read for the sockets a {@link TcpInfoDemand#only} named, beside its
     * table (whose rows then carry none): {@link TcpInfoReadings#NONE} when it read none that way (no demand,
     * every row's counters in the rows, or a source that cannot ask for single sockets). Called on the polling
     * thread right after {@link #poll}.
     */
    default TcpInfoReadings tcpInfoRead() {
        return TcpInfoReadings.NONE;
    }

    /**
     * Whether {@link #lookUpTcpInfo} reads counters here (netlink: an exact request per socket). Default: false.
     */
    default boolean looksUpTcpInfo() {
        return false;
    }

    /**
     * The counters of these sockets now (by 4-tuple and cookie), outside any poll, without rates: what a copy or
     * an export of rows out of view needs. Sockets that have closed since are {@link TcpInfoReadings#gone}. May be
     * called from any thread (it waits for a poll in progress). Default: none read.
     *
     * @throws SourceException when the kernel could not be asked
     */
    default TcpInfoReadings lookUpTcpInfo(List<SocketEntry> sockets) throws SourceException {
        return TcpInfoReadings.NONE;
    }

    /**
     * True when {@link #setOwnersWanted setOwnersWanted(false)} makes a poll cheaper here (owners found
     * by scanning processes). The window then shows its first poll without owners, at once, and the
     * owners from the next poll on. Default: false.
     */
    default boolean ownersCostAPoll() {
        return false;
    }

    /** TIME_WAIT's length on this platform in ms, and where that figure came from. */
    default TimeWaitDuration timeWaitDuration() {
        return TimeWaitDuration.LINUX;
    }

    @Override
    default void close() {}
}
