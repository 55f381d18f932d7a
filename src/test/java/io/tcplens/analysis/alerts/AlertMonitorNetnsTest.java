package io.tcplens.analysis.alerts;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.cli.CoreCommandsTest;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.MachineFacts;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.Sources;
import io.tcplens.source.netns.NamespaceSourceProvider;
import io.tcplens.testutil.TestNetns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Alerts on real sockets in a private namespace: each rule fires once when its condition starts to
 * hold, stays quiet while it holds, clears once when it stops, and fires again on the next crossing.
 */
class AlertMonitorNetnsTest {

    private static List<AlertEvent> pollUntil(PollingEngine engine, AlertMonitor m, Predicate<List<AlertEvent>> done, String what)
            throws InterruptedException {
        List<AlertEvent> all = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            all.addAll(m.observe(engine.pollOnce()));
            if (done.test(all)) return all;
            if (System.nanoTime() > end) fail(what + " did not happen within 20 s; events: " + all);
            Thread.sleep(50);
        }
    }

    private static long count(List<AlertEvent> events, boolean fired, AlertRule.Kind kind) {
        return events.stream().filter(e -> e.fired() == fired && e.rule().kind() == kind).count();
    }

    @Test
    void firesOncePerCrossingAndClears() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        try (AlertNetns ns = new AlertNetns();
             SocketTableSource src = Sources.open(NamespaceSourceProvider.spec(ns.name(), "netlink"));
             PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            AlertRule cw = AlertRule.parse("CLOSE_WAIT>5"), growth = AlertRule.parse("closewait-growth>5/1m"),
                    headroom = AlertRule.parse("headroom<15%");
            AlertMonitor m = new AlertMonitor(List.of(cw, growth, headroom),
                    () -> new LinuxPortRangeReader(((MachineFacts) src).sysctlRoot()).read());
            for (int i = 0; i < 3; i++) assertEquals(List.of(), m.observe(engine.pollOnce()), "nothing holds yet");

            // first crossing: 8 CLOSE_WAIT of the python child
            ns.send("cw 8");
            List<AlertEvent> ev = pollUntil(engine, m, l -> count(l, true, AlertRule.Kind.STATE_COUNT) > 0
                    && count(l, true, AlertRule.Kind.CLOSE_WAIT_GROWTH) > 0, "the CLOSE_WAIT alerts");
            for (int i = 0; i < 5; i++) ev.addAll(m.observe(engine.pollOnce()));
            assertEquals(1, count(ev, true, AlertRule.Kind.STATE_COUNT), "CLOSE_WAIT>5 fires once: " + ev);
            assertEquals(1, count(ev, true, AlertRule.Kind.CLOSE_WAIT_GROWTH), "growth fires once: " + ev);
            assertEquals(0, count(ev, false, AlertRule.Kind.STATE_COUNT), ev.toString());
            AlertEvent fired = ev.stream().filter(e -> e.rule().equals(cw)).findFirst().orElseThrow();
            assertEquals(8, fired.value());
            AlertEvent g = ev.stream().filter(e -> e.rule().equals(growth)).findFirst().orElseThrow();
            assertEquals((int) ns.pid(), g.pid(), "the growth is the python child's: " + g);
            assertEquals(8, g.value());
            assertTrue(g.describe().startsWith("ALERT closewait-growth>5/1m: python3 (pid " + ns.pid() + "): +8"), g.describe());
            assertEquals(2, m.active().size());

            // it clears once the sockets are closed, once
            ns.send("release");
            ev = pollUntil(engine, m, l -> count(l, false, AlertRule.Kind.STATE_COUNT) > 0
                    && count(l, false, AlertRule.Kind.CLOSE_WAIT_GROWTH) > 0, "clearing");
            for (int i = 0; i < 5; i++) ev.addAll(m.observe(engine.pollOnce()));
            assertEquals(1, count(ev, false, AlertRule.Kind.STATE_COUNT), ev.toString());
            assertEquals(1, count(ev, false, AlertRule.Kind.CLOSE_WAIT_GROWTH), ev.toString());
            assertEquals(0, count(ev, true, AlertRule.Kind.STATE_COUNT), ev.toString());
            assertEquals(List.of(), m.active());

            // the next crossing fires again
            ns.send("cw 7");
            ev = pollUntil(engine, m, l -> count(l, true, AlertRule.Kind.STATE_COUNT) > 0, "the second crossing");
            assertEquals(7, ev.stream().filter(e -> e.rule().equals(cw)).findFirst().orElseThrow().value());
            ns.send("release");

            // headroom: 18 of the namespace's 20 ephemeral ports held towards 127.0.0.1:8081 → 10 % free
            ns.send("open 18");
            ev = pollUntil(engine, m, l -> count(l, true, AlertRule.Kind.HEADROOM) > 0, "the headroom alert");
            for (int i = 0; i < 3; i++) ev.addAll(m.observe(engine.pollOnce()));
            List<AlertEvent> h = ev.stream().filter(e -> e.rule().equals(headroom)).toList();
            assertEquals(1, h.size(), "one destination, one alert: " + h);
            assertEquals(10.0, h.get(0).value(), 0.01);
            assertEquals("127.0.0.1 → 127.0.0.1:8081", h.get(0).subject());
            ns.send("drop");
            ev = pollUntil(engine, m, l -> count(l, false, AlertRule.Kind.HEADROOM) > 0, "the headroom alert clearing");
            assertEquals(1, count(ev, false, AlertRule.Kind.HEADROOM), ev.toString());
        }
    }

    @Test
    void watchPrintsEachCrossingOnceAndExitsOnAlert() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        try (AlertNetns ns = new AlertNetns()) {
            ns.send("cw 6");
            // held for all three polls: one line, not three
            CoreCommandsTest.Run r = CoreCommandsTest.run("watch", "--netns", ns.name(), "--count", "3", "--interval", "100ms",
                    "--alerts-only", "--alert", "CLOSE_WAIT>5", "--alert", "TIME_WAIT>0");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(1, lines.size(), r.out());
            assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ALERT CLOSE_WAIT>5: 6 CLOSE_WAIT sockets \\(threshold > 5\\) · .*"),
                    lines.get(0));

            r = CoreCommandsTest.run("watch", "--netns", ns.name(), "--json", "--exit-on-alert", "--alert", "CLOSE_WAIT>=6");
            assertEquals(3, r.code(), r.err());
            List<String> json = r.out().lines().toList();
            assertTrue(json.get(json.size() - 1).contains("\"alert\":\"fired\",\"rule\":\"CLOSE_WAIT>=6\",\"subject\":null,\"value\":6,\"threshold\":6"),
                    r.out());
        }
    }
}
