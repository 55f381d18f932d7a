package io.tcplens.source.netns;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.source.FactsMirror;
import io.tcplens.source.MirroredFacts;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.source.linux.ProcNetSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.tcplens.source.TcpInfoDemand;

/**
 * The TCP table of another network namespace (a container's, or one made by {@code ip netns add}).
 * Every read runs on a {@link NamespaceThread} that has entered the namespace: netlink opens its
 * sock_diag socket there (a netlink socket answers for the namespace it was created in), /proc
 * reads {@code /proc/thread-self/net/tcp{,6}} (the thread's namespace's table). Owners come only
 * from the namespace's own processes. It never falls back to the host's table: without the
 * privilege to enter, opening fails with one line.
 */
public final class NamespaceSource implements SocketTableSource, MirroredFacts {
    /** How the table is read inside the namespace. */
    public enum Reader { NETLINK, PROC }

    private final NamespaceThread thread;
    private final SocketTableSource inner;
    private final NamespaceOwners owners;
    private final boolean resolveOwners;
    private final SourceInfo info;
    private final Reader reader;
    private final FactsMirror facts;

    /**
     * Enters the namespace and opens the reader there; {@code reader} null = netlink, or /proc when
     * sock_diag does not answer in the namespace.
     */
    public NamespaceSource(NamespaceTarget target, Reader reader, boolean resolveOwners) throws SourceException {
        this.thread = new NamespaceThread(target);
        this.resolveOwners = resolveOwners;
        this.owners = new NamespaceOwners(Path.of("/proc"), thread.inode());
        try {
            Reader chosen = reader;
            SocketTableSource s;
            if (reader == Reader.PROC) s = proc();
            else {
                NetlinkSource n = thread.call(() -> new NetlinkSource(Path.of("/proc"), false));
                try {
                    thread.call(n::poll); // opens the socket on the namespace's thread, proves it answers
                    s = n;
                    chosen = Reader.NETLINK;
                } catch (SourceException e) {
                    n.close();
                    if (reader == Reader.NETLINK) throw e;
                    s = proc();
                    chosen = Reader.PROC;
                }
            }
            this.inner = s;
            this.reader = chosen;
        } catch (SourceException | RuntimeException e) {
            thread.close();
            throw e;
        }
        this.facts = new FactsMirror(target.describe());
        try {
            thread.call(() -> {
                NamespaceFacts.copy(facts);
                return null;
            });
        } catch (SourceException e) {
            // the analyses then say the namespace's settings are unknown
        }
        String how = this.reader == Reader.NETLINK ? "netlink" : "/proc/net/tcp";
        this.info = new SourceInfo(SourceInfo.Kind.LIVE, NamespaceSourceProvider.NAME + ":" + target.spec()
                + "/" + this.reader.name().toLowerCase(Locale.ROOT), target.describe() + " (" + how + ")");
    }

    private static SocketTableSource proc() {
        return new ProcNetSource(Path.of("/proc/thread-self"), false);
    }

    public NamespaceTarget target() {
        return thread.target();
    }

    public Reader reader() {
        return reader;
    }

    /** The thread inside the namespace, for the namespace's own sysctls and counters. */
    public NamespaceThread thread() {
        return thread;
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public void setTcpInfoWanted(boolean wanted) {
        inner.setTcpInfoWanted(wanted); // a volatile flag: safe from any thread
    }

    @Override
    public void setTcpInfoDemand(TcpInfoDemand demand) {
        inner.setTcpInfoDemand(demand); // a volatile field: safe from any thread
    }

    @Override
    public TcpInfoReadings tcpInfoRead() {
        return inner.tcpInfoRead(); // the last poll's, published by the namespace's thread (a volatile field)
    }

    @Override
    public boolean looksUpTcpInfo() {
        return inner.looksUpTcpInfo();
    }

    @Override
    public TcpInfoReadings lookUpTcpInfo(List<SocketEntry> sockets) throws SourceException {
        return thread.call(() -> inner.lookUpTcpInfo(sockets)); // a socket opened for it is the namespace's
    }

    @Override
    public Snapshot poll() throws SourceException {
        Snapshot s = thread.call(() -> {
            Snapshot snap = inner.poll();
            NamespaceFacts.copyCounters(facts);
            return snap;
        });
        List<SocketEntry> rows = s.sockets();
        List<String> warnings = new ArrayList<>(s.warnings());
        SocketHolders holders = SocketHolders.NONE;
        if (resolveOwners) {
            synchronized (owners) {
                rows = owners.attach(rows, s.timestampMillis(), warnings);
                holders = owners.holders();
            }
        }
        return new Snapshot(s.timestampMillis(), rows, info, warnings, holders);
    }

    @Override
    public void close() {
        try {
            thread.call(() -> {
                inner.close();
                return null;
            });
        } catch (SourceException ignored) {
            // already closed
        }
        thread.close();
        facts.close();
    }

    @Override
    public FactsMirror facts() {
        return facts;
    }

    @Override
    public Optional<Path> resolvConf() {
        return Optional.empty(); // /etc is the mount namespace's, not the network namespace's
    }

    @Override
    public Optional<String> operatorAddress() {
        return Optional.empty();
    }
}
