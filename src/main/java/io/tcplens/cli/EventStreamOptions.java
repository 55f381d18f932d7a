package io.tcplens.cli;

import io.tcplens.common.Ports;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.source.events.BpftraceEvents;
import io.tcplens.source.events.EventSupport;
import io.tcplens.source.netns.NamespaceTarget;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** --json, --count, --port and --netns of the commands that stream the kernel's events (events, lifetimes). */
public final class EventStreamOptions {
    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N lines (default: until interrupted).")
    Integer count;

    @Option(names = "--port", paramLabel = "P", description = "Only connections with this local or remote port.")
    Integer port;

    @Option(names = "--netns", paramLabel = "NAME|pid:PID",
            description = "Watch another network namespace (an `ip netns` name or pid:PID); default: this process's.")
    String netns;

    /** One line for a value out of range. */
    void check() {
        if (count != null && count < 1) throw new CliException("--count must be at least 1");
        if (port != null && !Ports.isPort(port)) throw new CliException("--port must be 0..65535");
    }

    /** Whether the --port filter lets this transition through. */
    boolean matches(KernelTransition t) {
        return port == null || t.key().local().port() == port || t.key().remote().port() == port;
    }

    /** Starts the feed on the chosen namespace, or fails with the one line that says why events are off. */
    BpftraceEvents open() {
        long inode;
        if (netns == null) inode = EventSupport.ownNetns();
        else {
            NamespaceTarget t;
            try {
                t = NamespaceTarget.parse(netns);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            inode = EventSupport.netnsInode(t.path());
            if (inode == 0) throw new CliException("no such network namespace: " + t.describe());
        }
        BpftraceEvents feed = BpftraceEvents.start(inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60));
        if (!feed.on()) {
            feed.close();
            throw new CliException(feed.status(), 1);
        }
        return feed;
    }

    /** What a streaming command does with the kernel's transitions, in order. */
    interface Lines {
        /** Takes one transition (every one, also those --port filters out); true when it printed a line. */
        boolean take(KernelTransition t, PrintWriter out);

        /** Called after each batch: keep per-socket state bounded. */
        void bound();

        /** The warning for {@code lost} events lost from the last batch ({@code total} so far). */
        String lost(long lost, long total);
    }

    /**
     * Checks the options, starts the feed (or fails with the one line that says why not), announces it
     * on stderr, prints {@code header} unless --json, then hands every transition to {@code lines}
     * until --count lines were printed (exit 0), stdout fails (1) or the feed stops (its status, 1).
     */
    int follow(CommandSpec spec, String header, Lines lines) throws InterruptedException {
        check();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (BpftraceEvents feed = open()) {
            err.println("tcplens: " + feed.status());
            err.flush();
            if (!json) out.println(header);
            long shown = 0, lost = 0;
            while (feed.on()) {
                long now = System.nanoTime();
                feed.awaitCaughtUp(now, 250);
                EventBatch b = feed.drain(now);
                if (b.lost() > 0) {
                    lost += b.lost();
                    err.println("tcplens: warning: " + lines.lost(b.lost(), lost));
                    err.flush();
                }
                for (KernelTransition t : b.transitions()) {
                    if (!lines.take(t, out)) continue;
                    if (count != null && ++shown >= count) {
                        out.flush();
                        return out.checkError() ? 1 : 0;
                    }
                }
                out.flush();
                if (out.checkError()) return 1;
                lines.bound();
                Thread.sleep(100);
            }
            throw new CliException(feed.status(), 1);
        }
    }
}
