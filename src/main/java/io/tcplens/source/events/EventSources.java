package io.tcplens.source.events;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.oshi.OshiSource;
import java.time.Duration;
import java.util.Locale;

/** Which sources kernel events can go with, and starting them for one. */
public final class EventSources {
    private EventSources() {}

    /**
     * The network namespace inode whose events match {@code src}'s table: this process's for the local
     * Linux sources, the namespace's for a namespace source; -1 when events do not apply (a remote host,
     * a recording, the lab's simulation, another OS).
     */
    public static long namespaceOf(SocketTableSource src) {
        if (src.info().kind() != SourceInfo.Kind.LIVE) return -1;
        if (src instanceof NamespaceSource ns) return EventSupport.netnsInode(ns.target().path());
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && (src instanceof NetlinkSource || src instanceof ProcNetSource || src instanceof OshiSource))
            return EventSupport.ownNetns();
        return -1;
    }

    /**
     * Starts the kernel's events for {@code src} (blocks up to the attach time), or null when they do
     * not apply to it (a replay has its own: {@code ReplaySource.eventFeed()}).
     */
    public static EventFeed startFor(SocketTableSource src) {
        return startFor(src, false);
    }

    /**
     * As {@link #startFor(SocketTableSource)}; {@code keepSocketDetails}: each event keeps its socket's
     * kernel address and byte counters ({@code record} writes them); the window's tracker reads neither,
     * and without them a burst's events take half the memory while held between two polls.
     */
    public static EventFeed startFor(SocketTableSource src, boolean keepSocketDetails) {
        long ns = namespaceOf(src);
        if (ns <= 0) return null;
        // the window's tracker uses only complete intervals: an overflowed one is dropped at once
        return BpftraceEvents.start(ns, keepSocketDetails ? BpftraceEvents.DEFAULT_CAPACITY : WINDOW_CAPACITY,
                Duration.ofSeconds(60), true, keepSocketDetails);
    }

    /**
     * The most events the window takes from one interval between two polls (~6,500 connections opened and closed a
     * second at the 1 s refresh); an interval with more is inferred, as one with a loss is, and says so. The batched
     * program (twenty-ninth round) delivers a remake of the burst table's 28k TIME_WAIT sockets whole (97k–125k
     * changes a second over three to four polls), where the per-event one lost about half and the interval was
     * inferred anyway: turning those into steps (an object each at the drain, then the tracker's alignment and each
     * connection's history) took the window to 322 and 345 MB at that poll (the 300 MB goal) and ~0.03 s more CPU per
     * second of the minute. Past this many the interval goes whole at once and its lines are not even parsed.
     */
    static final int WINDOW_CAPACITY = 65_536;
}
