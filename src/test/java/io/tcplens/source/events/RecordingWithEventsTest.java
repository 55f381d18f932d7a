package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.Snapshot;
import io.tcplens.model.StateChange;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.netns.NamespaceTarget;
import io.tcplens.source.replay.Recording;
import io.tcplens.source.replay.RecordingReader;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.source.replay.ReplaySource;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording made with events (as {@code record --events} makes it) replays the real sequence:
 * stepping through it record by record, each client-closed connection goes ESTABLISHED → FIN_WAIT1 →
 * FIN_WAIT2 → TIME_WAIT, observed; a seek backwards is an inferred interval.
 */
class RecordingWithEventsTest {
    @TempDir Path tmp;

    @Test
    void replayShowsTheRecordedSteps() throws Exception {
        assumeTrue(KernelEventsTest.usable(), () -> EventSupport.check().reason());
        Path file = tmp.resolve("events.tcplens");
        List<Integer> ports = new ArrayList<>();
        Set<Integer> closed = new HashSet<>();
        try (EventNetns ns = new EventNetns()) {
            KernelEventsTest.noTimeWaitReuse(ns);
            ns.python(KernelEventsTest.CLIENT_CLOSES, "8");
            assertEquals("ready", ns.readLine());
            try (NamespaceSource src = new NamespaceSource(new NamespaceTarget(ns.name, 0), NamespaceSource.Reader.NETLINK, false);
                 BpftraceEvents feed = BpftraceEvents.start(ns.inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60));
                 RecordingWriter w = new RecordingWriter(file, src.info(), src.timeWaitDuration())) {
                assertTrue(feed.on(), feed.status());
                Thread reader = new Thread(() -> {
                    try {
                        for (String l; (l = ns.readLine()) != null && !l.equals("done"); ) {
                            synchronized (ports) {
                                ports.add(Integer.parseInt(l.strip()));
                            }
                        }
                    } catch (Exception ignored) {
                        // the child ended
                    }
                });
                record(src, feed, w, closed);
                ns.send("go");
                reader.start();
                while (reader.isAlive()) {
                    Thread.sleep(100);
                    record(src, feed, w, closed);
                }
                // on a busy machine bpftrace's output can lag the kernel by more than a record's catch-up wait
                // (CI once recorded a client with no step at all): record until every client's close into
                // TIME_WAIT has been drained (at most 20 s), then twice more
                assertEquals(8, ports.size());
                assertEquals(8, new HashSet<>(ports).size(), "every client had its own 4-tuple: " + ports);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!closed.containsAll(ports) && System.nanoTime() < deadline) {
                    Thread.sleep(150);
                    record(src, feed, w, closed);
                }
                for (int i = 0; i < 2; i++) {
                    Thread.sleep(100);
                    record(src, feed, w, closed);
                }
                assertTrue(closed.containsAll(ports), "the feed gave every client's close within 20 s; closed "
                        + closed + " of " + ports + "; lost " + feed.lostTotal() + "; " + feed.status());
            }
        }
        Recording rec = RecordingReader.read(file);
        ReplaySource rs = new ReplaySource(rec, false);
        Map<ConnectionKey, List<String>> seen = new HashMap<>();
        try (PollingEngine engine = new PollingEngine(rs, Duration.ofMillis(100))) {
            engine.attachEvents(rs.eventFeed());
            for (int i = 0; i < rec.size(); i++) {
                rs.controller().seekToIndex(i);
                PollResult r = engine.pollOnce();
                assertNotNull(r.diff().events(), "record " + i + " carries events; poll error: " + r.error());
                if (i >= 2) assertTrue(r.diff().events().complete(), "stepping forward replays complete events");
                for (StateChange c : r.diff().events().transitions())
                    seen.computeIfAbsent(KernelEventsTest.plain(c.key()), k -> new ArrayList<>()).add(c.from() + ">" + c.to());
            }
            assertTrue(rec.hasEvents());
            rs.controller().seekToIndex(1);
            PollResult back = engine.pollOnce();
            assertFalse(back.diff().events().complete(), "a seek backwards is inferred");
        }
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int port : ports) {
            ConnectionKey client = new ConnectionKey(new Endpoint(lo, port), new Endpoint(lo, 9000));
            assertEquals(List.of("CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2",
                    "FIN_WAIT2>TIME_WAIT"), seen.get(client), "client " + port);
        }
    }

    /** One record: a table read and the events up to its end; notes the client ports whose close was drained. */
    private static void record(NamespaceSource src, BpftraceEvents feed, RecordingWriter w, Set<Integer> closed)
            throws Exception {
        Snapshot s = src.poll();
        long readEnd = System.nanoTime();
        feed.awaitCaughtUp(readEnd, EventFeed.CATCH_UP_MILLIS);
        EventBatch b = feed.drain(readEnd);
        for (KernelTransition e : b.transitions())
            if (e.mayEnterTimeWait() && e.key().remote().port() == 9000) closed.add(e.key().local().port());
        w.append(s, b);
    }
}
