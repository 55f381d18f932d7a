package io.tcplens.cli;

import io.tcplens.common.Ports;
import io.tcplens.model.KernelTransition;
import io.tcplens.source.events.BpftraceEvents;
import io.tcplens.source.events.EventSupport;
import io.tcplens.source.netns.NamespaceTarget;
import java.time.Duration;
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
}
