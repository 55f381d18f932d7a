package io.tcplens.lab;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.TimeWaitDuration;
import java.util.ArrayList;
import java.util.List;

/**
 * The live kernel table reduced to the lab's own sockets (loopback, a lab server port at one end),
 * labelled {@link SourceInfo.Kind#LAB}: what the kernel reports, nothing simulated. Closing it stops
 * the lab when the source owns it.
 */
public final class LabSource implements SocketTableSource {
    private final Lab lab;
    private final SocketTableSource live;
    private final boolean ownsLab;
    private final SourceInfo info;

    public LabSource(Lab lab, SocketTableSource live, boolean ownsLab, String what) {
        this.lab = lab;
        this.live = live;
        this.ownsLab = ownsLab;
        this.info = new SourceInfo(SourceInfo.Kind.LAB, "lab",
                "loopback lab" + (what == null || what.isBlank() ? "" : " · " + what) + " (" + live.info().description()
                        + ", lab sockets only)");
    }

    public Lab lab() {
        return lab;
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public Snapshot poll() throws SourceException {
        Snapshot s = live.poll();
        List<SocketEntry> mine = new ArrayList<>();
        for (SocketEntry e : s.sockets()) if (lab.isLabSocket(e)) mine.add(e.withLab(true));
        return new Snapshot(s.timestampMillis(), mine, info, s.warnings(), s.holders().retainAll(mine));
    }

    @Override
    public TimeWaitDuration timeWaitDuration() {
        return live.timeWaitDuration();
    }

    @Override
    public void close() {
        if (ownsLab) lab.close();
        live.close();
    }
}
