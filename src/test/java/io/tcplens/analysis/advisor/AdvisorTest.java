package io.tcplens.analysis.advisor;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisorTest {
    /** The findings and settings as the window and the command line show them (the bundle's English). */
    static final AdviceText EN = AdviceText.english();

    @TempDir
    Path sys;
    final Map<Long, NetstatCounters> counters = new HashMap<>();
    final LongFunction<NetstatCounters> netstat = t -> counters.getOrDefault(t, NetstatCounters.none());

    void sysctl(String name, String value) throws Exception {
        Path p = sys.resolve(name.replace('.', '/'));
        Files.createDirectories(p.getParent());
        Files.writeString(p, value + "\n");
    }

    /** A current kernel's defaults (6.x), as /proc/sys shows them. */
    @BeforeEach
    void defaults() throws Exception {
        sysctl("net.ipv4.tcp_tw_reuse", "2");
        sysctl("net.ipv4.tcp_tw_reuse_delay", "1000");
        sysctl("net.ipv4.tcp_timestamps", "1");
        sysctl("net.ipv4.tcp_fin_timeout", "60");
        sysctl("net.ipv4.tcp_max_tw_buckets", "131072");
        sysctl("net.ipv4.ip_local_port_range", "32768\t60999");
        sysctl("net.ipv4.ip_local_reserved_ports", "");
        sysctl("net.ipv4.tcp_max_syn_backlog", "2048");
        sysctl("net.core.somaxconn", "4096");
        sysctl("net.ipv4.tcp_syncookies", "1");
        sysctl("net.ipv4.tcp_keepalive_time", "7200");
        sysctl("net.ipv4.tcp_keepalive_intvl", "75");
        sysctl("net.ipv4.tcp_keepalive_probes", "9");
    }

    Advisor advisor() {
        return new Advisor(KernelSettings.read(new SysctlReader(sys)), netstat, 60_000);
    }

    static NetstatCounters netstat(long at, long overflows, long drops, long cookies, long twOverflow) {
        return NetstatCounters.parse(List.of(
                "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPTimeWaitOverflow",
                "TcpExt: " + cookies + " 0 " + overflows + " " + drops + " " + twOverflow,
                "IpExt: InNoRoutes", "IpExt: 0"), at);
    }

    record Run(Advice advice, PortReport ports) {
        List<Finding> rule(String id) {
            return advice.findings().stream().filter(f -> f.rule().equals(id)).collect(Collectors.toList());
        }
    }

    Run run(Advisor a, List<List<SocketEntry>> polls, long stepMillis) {
        Crafted c = new Crafted();
        PortUsageAnalyzer ports = new PortUsageAnalyzer(60_000);
        PollResult last = null;
        long t = 1_000;
        for (List<SocketEntry> p : polls) {
            last = c.poll(t, p);
            ports.observe(last);
            a.observe(last);
            t += stepMillis;
        }
        EphemeralPortRange range = new LinuxPortRangeReader(sys).read();
        PortReport rep = ports.report(last, range, TimeWaitDuration.LINUX);
        return new Run(a.advise(last, rep), rep);
    }

    @Test
    void samplesShareTheCountersNames() {
        // a minute of samples keeps every counter of each: one name string per counter, not one per sample (issue 11)
        NetstatCounters a = netstat(1000, 1, 2, 3, 4), b = netstat(2000, 5, 6, 7, 8);
        assertEquals(6, b.values().size());
        for (String k : b.values().keySet()) {
            String same = a.values().keySet().stream().filter(k::equals).findFirst().orElseThrow();
            assertSame(same, k, k);
        }
        assertEquals(5, b.get(NetstatCounters.LISTEN_OVERFLOWS).orElseThrow());
        assertEquals(4, b.delta(a, NetstatCounters.LISTEN_OVERFLOWS).orElseThrow());
    }

    @Test
    void explainsEverySettingWithoutOutdatedAdvice() {
        Advice adv = run(advisor(), List.of(List.of()), 1000).advice();
        Map<String, SettingExplanation> s = adv.settings().stream().collect(Collectors.toMap(SettingExplanation::name, x -> x));
        assertEquals("60", s.get(KernelSettings.FIN_TIMEOUT).value());
        assertTrue(EN.render(s.get(KernelSettings.FIN_TIMEOUT).doesNot()).contains("does not shorten TIME_WAIT"));
        assertTrue(EN.render(s.get(KernelSettings.TW_REUSE).meaning()).startsWith("Loopback only"));
        assertTrue(EN.render(s.get(KernelSettings.TW_REUSE_DELAY).meaning()).contains("1000 ms"));
        assertTrue(EN.render(s.get(KernelSettings.PORT_RANGE).meaning()).contains("28,232 ports"));
        assertNull(s.get(KernelSettings.TW_RECYCLE).value());
        assertTrue(EN.render(s.get(KernelSettings.TW_RECYCLE).meaning()).contains("Removed in Linux 4.12"));
        assertTrue(EN.render(s.get(KernelSettings.TW_RECYCLE).doesNot()).contains("NAT"));
        for (SettingExplanation e : adv.settings()) {
            assertFalse(EN.render(e.meaning()).isBlank(), e.name());
            assertFalse(EN.render(e.doesNot()).isBlank(), e.name());
        }
        assertTrue(adv.findings().isEmpty(), "an idle machine has nothing to report: " + adv.findings());
        assertTrue(adv.sysctlSnippet(EN).contains("No sysctl change"));
        assertFalse(adv.sysctlSnippet(EN).contains("tcp_tw_recycle ="), "never advise tw_recycle");
    }

    @Test
    void missingDelayOnOlderKernel() throws Exception {
        Files.delete(sys.resolve("net/ipv4/tcp_tw_reuse_delay"));
        SettingExplanation d = KernelSettings.read(new SysctlReader(sys)).explain().stream()
                .filter(e -> e.name().equals(KernelSettings.TW_REUSE_DELAY)).findFirst().orElseThrow();
        assertFalse(d.present());
        assertTrue(EN.render(d.meaning()).startsWith("Not on this kernel"));
    }

    @Test
    void whichSideClosesFirst() {
        List<SocketEntry> s = new ArrayList<>();
        s.add(listen("0.0.0.0", 8080));
        s.addAll(timeWaits("10.0.0.1", 40000, 30, "10.0.0.5", 80));
        for (int i = 0; i < 7; i++) s.add(sock("10.0.0.1", 8080, "10.0.0.9", 50000 + i, TcpState.TIME_WAIT, 20_000L));
        Finding f = run(advisor(), List.of(s), 1000).rule("timewait-side").get(0);
        assertEquals(Finding.Severity.INFO, f.severity());
        assertTrue(EN.render(f.title()).contains("Both sides"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(0)).contains("37 (30 on local ephemeral ports, 7 on local listening ports)"), EN.render(f.evidence().get(0)));
        assertTrue(EN.render(f.evidence().get(1)).contains("10.0.0.5:80 (30)"), EN.render(f.evidence().get(1)));
        assertTrue(EN.render(f.evidence().get(2)).contains("port 8080 (7)"), EN.render(f.evidence().get(2)));
        assertTrue(EN.render(f.fixes()).stream().anyMatch(x -> x.contains("SO_REUSEADDR")));
        assertTrue(EN.render(f.fixes()).stream().anyMatch(x -> x.contains("tcp_fin_timeout does not shorten TIME_WAIT")));
    }

    @Test
    void destinationNearExhaustionGivesFixesInOrder() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "40000 40099");
        List<SocketEntry> first = new ArrayList<>(List.of(listen("0.0.0.0", 22), listen("0.0.0.0", 50051)));
        List<SocketEntry> second = new ArrayList<>(first);
        first.addAll(timeWaits("10.0.0.1", 40000, 55, "10.0.0.5", 80));
        second.addAll(timeWaits("10.0.0.1", 40000, 60, "10.0.0.5", 80)); // 5 new in 10 s
        Run r = run(advisor(), List.of(first, second), 10_000);
        Finding f = r.rule("port-exhaustion").get(0);
        assertEquals(Finding.Severity.WARNING, f.severity(), EN.render(f.title()));
        assertEquals("10.0.0.1 → 10.0.0.5:80: 60 % of ephemeral ports held, steady state 30 ports", EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(0)).contains("60 of 100 usable (60.0 %)"), EN.render(f.evidence().get(0)));
        assertTrue(EN.render(f.evidence().get(1)).contains("0.5/s over the last 10 s; steady-state TIME_WAIT = 0.5/s × 60 s = 30"), EN.render(f.evidence().get(1)));
        assertTrue(EN.render(f.evidence().get(2)).contains("100 usable ÷ 60 s = 1.7 new connections/s"), EN.render(f.evidence().get(2)));
        assertTrue(EN.render(f.fixes().get(0)).startsWith("1. Reuse connections"));
        assertTrue(EN.render(f.fixes().get(1)).startsWith("2. Set net.ipv4.tcp_tw_reuse = 1 (now 2)"), EN.render(f.fixes().get(1)));
        assertTrue(EN.render(f.fixes().get(1)).contains("after 1000 ms"));
        assertTrue(EN.render(f.fixes().get(2)).startsWith("3. Widen ip_local_port_range from 40000–40099"), EN.render(f.fixes().get(2)));
        assertTrue(EN.render(f.fixes().get(2)).contains("(50051)"), "reserve the listener inside the new range: " + EN.render(f.fixes().get(2)));
        assertTrue(EN.render(f.fixes().get(3)).contains("IP_BIND_ADDRESS_NO_PORT"));
        String snippet = r.advice().sysctlSnippet(EN);
        assertTrue(snippet.contains("net.ipv4.tcp_tw_reuse = 1\n"), snippet);
        assertTrue(snippet.contains("net.ipv4.ip_local_port_range = 10000 65535\n"), snippet);
        assertTrue(snippet.contains("net.ipv4.ip_local_reserved_ports = 50051\n"), snippet);
        assertTrue(snippet.contains("# current value: 40000 40099"), snippet);
        assertFalse(snippet.contains("tcp_tw_recycle ="));
        assertFalse(snippet.contains("tcp_fin_timeout ="));
    }

    @Test
    void loopbackTimeWaitOlderThanTheDelayIsNoExhaustionWithTwReuse2() throws Exception {
        // issue 14: with tcp_tw_reuse = 2 (the default) connect() over loopback takes over TIME_WAIT slots older than
        // tcp_tw_reuse_delay; these 50 are all older than 1 s, so the kernel would still connect (PortsAgainstKernelNetnsTest)
        sysctl("net.ipv4.ip_local_port_range", "40000 40049");
        Run r = run(advisor(), List.of(List.of(), timeWaits("127.0.0.1", 40000, 50, "127.0.0.1", 9000)), 5_000);
        assertTrue(r.rule("port-exhaustion").isEmpty(), () -> r.rule("port-exhaustion").stream().map(f -> EN.render(f.title())).toList().toString());
    }

    @Test
    void exhaustedLoopbackDestinationIsCriticalWithoutTwReuse() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "40000 40049");
        sysctl("net.ipv4.tcp_tw_reuse", "0");
        Run r = run(advisor(), List.of(List.of(), timeWaits("127.0.0.1", 40000, 50, "127.0.0.1", 9000)), 5_000);
        Finding f = r.rule("port-exhaustion").get(0);
        assertEquals(Finding.Severity.CRITICAL, f.severity());
        assertTrue(EN.render(f.title()).endsWith("out of ports now"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence()).stream().anyMatch(e -> e.contains("errno 99")));
        String reuse = EN.render(f.fixes().get(1));
        assertTrue(reuse.startsWith("2. Set net.ipv4.tcp_tw_reuse = 1 (now 0)"), reuse);
        assertTrue(reuse.contains("should not be changed without advice/request of technical experts"), reuse);
        assertEquals(f, r.advice().findings().get(0), "most severe first");
    }

    @Test
    void closeWaitGrowthPointsAtTheProcess() {
        List<SocketEntry> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < 3; i++) a.add(owned(sock("10.0.0.1", 41000 + i, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null), 777, "leaky"));
        for (int i = 0; i < 12; i++) b.add(owned(sock("10.0.0.1", 41000 + i, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null), 777, "leaky"));
        b.add(owned(sock("10.0.0.1", 42000, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null), 888, "fine"));
        Run r = run(advisor(), List.of(a, b), 30_000);
        List<Finding> fs = r.rule("close-wait");
        assertEquals(1, fs.size(), "the process with one fresh CLOSE_WAIT is not flagged");
        Finding f = fs.get(0);
        assertEquals(Finding.Severity.WARNING, f.severity());
        assertTrue(EN.render(f.title()).startsWith("leaky (pid 777) does not close its sockets: 12 in CLOSE_WAIT and growing"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(0)).contains("12 in CLOSE_WAIT, +9 in the last 30 s"), EN.render(f.evidence().get(0)));
        assertTrue(EN.render(f.evidence().get(1)).contains("oldest: at least 30 s"), EN.render(f.evidence().get(1)));
        assertTrue(EN.render(f.fixes().get(1)).startsWith("No sysctl removes CLOSE_WAIT"));
    }

    /**
     * The window's two advisors (the advisor tab's and the TIME_WAIT tab's) are given the same polls: the
     * table is walked once per poll for both, and each finds what an advisor given the polls alone finds.
     */
    @Test
    void twoAdvisorsGivenTheSamePollsFindWhatOneAloneFinds() {
        List<List<SocketEntry>> polls = new ArrayList<>();
        for (int n : new int[] {3, 12, 20}) {
            List<SocketEntry> p = new ArrayList<>();
            for (int i = 0; i < n; i++) p.add(owned(sock("10.0.0.1", 41000 + i, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null), 777, "leaky"));
            p.add(owned(sock("10.0.0.1", 42000 + n, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null), 888, "fine"));
            for (int i = 0; i < n; i++) p.add(sock("10.0.0.1", 80, "10.9.0." + (1 + i), 50000 + i, TcpState.SYN_RECV, null));
            polls.add(p);
        }
        Run alone = run(advisor(), polls, 30_000);
        Crafted c = new Crafted();
        PortUsageAnalyzer ports = new PortUsageAnalyzer(60_000);
        Advisor one = advisor(), two = advisor();
        PollResult last = null;
        long t = 1_000;
        for (List<SocketEntry> p : polls) {
            last = c.poll(t, p);
            ports.observe(last);
            one.observe(last);
            two.observe(last);
            t += 30_000;
        }
        PortReport rep = ports.report(last, new LinuxPortRangeReader(sys).read(), TimeWaitDuration.LINUX);
        List<String> expected = rendered(alone.advice());
        assertFalse(expected.isEmpty());
        assertTrue(expected.stream().anyMatch(f -> f.contains("leaky (pid 777)") && f.contains("20 in CLOSE_WAIT")), expected.toString());
        assertEquals(expected, rendered(one.advise(last, rep)));
        assertEquals(expected, rendered(two.advise(last, rep)));
    }

    private static List<String> rendered(Advice a) {
        List<String> out = new ArrayList<>();
        for (Finding f : a.findings()) out.add(f.rule() + ": " + EN.render(f.title()) + " / " + f.evidence().stream().map(EN::render).toList());
        return out;
    }

    @Test
    void oldCloseWaitIsReportedEvenWithoutGrowth() {
        List<SocketEntry> a = List.of(sock("10.0.0.1", 41000, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null));
        List<SocketEntry> b = new ArrayList<>(a);
        b.add(sock("10.0.0.1", 41001, "10.0.0.8", 5432, TcpState.ESTABLISHED, null));
        List<SocketEntry> c = List.of(sock("10.0.0.1", 41000, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null),
                sock("10.0.0.1", 41001, "10.0.0.8", 5432, TcpState.CLOSE_WAIT, null));
        Run r = run(advisor(), List.of(a, b, c), 40_000);
        Finding f = r.rule("close-wait").get(0);
        assertEquals(Finding.Severity.INFO, f.severity());
        assertTrue(EN.render(f.title()).startsWith("owner unknown"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(1)).contains("at least 1 min 20 s"), EN.render(f.evidence().get(1)));
    }

    @Test
    void synFloodWithCountersAndSettings() throws Exception {
        sysctl("net.ipv4.tcp_syncookies", "0");
        sysctl("net.ipv4.tcp_max_syn_backlog", "128");
        // listen(511) (nginx's default): with cookies off, tcp_max_syn_backlog 128 keeps 128 - 32 + 1 = 97 per listener
        List<SocketEntry> a = List.of(backlog(listen("0.0.0.0", 443), 511));
        List<SocketEntry> b = new ArrayList<>(a);
        for (int i = 0; i < 90; i++) b.add(sock("10.0.0.1", 443, "203.0.113." + (i % 200), 30000 + i, TcpState.SYN_RECV, null));
        for (int i = 0; i < 10; i++) b.add(sock("10.0.0.1", 443, "198.51.100.7", 31000 + i, TcpState.SYN_RECV, null));
        counters.put(1_000L, netstat(1_000, 10, 10, 0, 0));
        counters.put(11_000L, netstat(11_000, 25, 40, 0, 0));
        Finding f = run(advisor(), List.of(a, b), 10_000).rule("syn-recv").get(0);
        assertEquals(Finding.Severity.WARNING, f.severity());
        assertTrue(EN.render(f.title()).contains("100 in SYN_RECV"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(0)).contains("100, +100 in the last 10 s"), EN.render(f.evidence().get(0)));
        assertTrue(EN.render(f.evidence().get(1)).contains("port 443: 100"));
        assertTrue(EN.render(f.evidence().get(2)).contains("203.0.113.0/24: 90 of 100"), EN.render(f.evidence().get(2)));
        assertTrue(EN.render(f.evidence().get(3)).contains("ListenOverflows +15, ListenDrops +30, SyncookiesSent +0 (totals 25, 40, 0)"), EN.render(f.evidence().get(3)));
        assertTrue(EN.render(f.evidence().get(4)).contains("tcp_syncookies = 0, tcp_max_syn_backlog = 128, somaxconn = 4,096"));
        List<String> names = f.sysctls().stream().map(SysctlSuggestion::name).toList();
        assertEquals(List.of(KernelSettings.SYNCOOKIES, KernelSettings.MAX_SYN_BACKLOG, KernelSettings.SOMAXCONN), names);
        assertTrue(EN.render(f.fixes()).stream().anyMatch(x -> x.contains("203.0.113.0/24") && x.contains("firewall export")));
        assertTrue(EN.render(f.evidence().get(5)).contains("local port 443: 100 half-open of at most 97: tcp_max_syn_backlog"),
                EN.render(f.evidence().get(5)));
        // the suggested value is the smallest that lets the listener keep its whole backlog: 681 - 170 + 1 = 512
        assertEquals("681", f.sysctls().get(1).value());
    }

    static SocketEntry backlog(SocketEntry listener, long backlog) {
        return new SocketEntry(listener.key(), listener.state(), null, backlog, 0, null, null, 0, 1000, listener.inode(),
                null, null, false);
    }

    @Test
    void withSynCookiesOnTcpMaxSynBacklogIsNeverTheAnswer() throws Exception {
        // measured on 6.18: tcp_max_syn_backlog 16, listen(128) kept 40 of 40, listen(8) kept 9 and then sent cookies
        sysctl("net.ipv4.tcp_max_syn_backlog", "16");
        List<SocketEntry> a = List.of(backlog(listen("10.0.0.1", 8101), 128), backlog(listen("10.0.0.1", 8102), 8));
        List<SocketEntry> b = new ArrayList<>(a);
        for (int i = 0; i < 40; i++) b.add(sock("10.0.0.1", 8101, "10.0.0.9", 30000 + i, TcpState.SYN_RECV, null));
        for (int i = 0; i < 9; i++) b.add(sock("10.0.0.1", 8102, "10.0.0.9", 31000 + i, TcpState.SYN_RECV, null));
        counters.put(1_000L, netstat(1_000, 0, 0, 0, 0));
        counters.put(11_000L, netstat(11_000, 0, 0, 31, 0));
        Finding f = run(advisor(), List.of(a, b), 10_000).rule("syn-recv").get(0);
        assertEquals(Finding.Severity.WARNING, f.severity());
        List<String> ev = EN.render(f.evidence());
        assertTrue(ev.stream().anyMatch(x -> x.startsWith("local port 8102: 9 half-open of at most 9: listen() backlog 8 + 1")), ev::toString);
        assertTrue(ev.stream().anyMatch(x -> x.startsWith("local port 8101: 40 half-open of at most 129")), ev::toString);
        assertTrue(f.sysctls().stream().noneMatch(x -> x.name().equals(KernelSettings.MAX_SYN_BACKLOG)), f.sysctls()::toString);
        assertTrue(EN.render(f.fixes()).get(0).startsWith("Port 8102's SYN queue is full at its listen() backlog (8) + 1"),
                EN.render(f.fixes()).toString());
    }

    @Test
    void quietListenerIsNotASynFlood() {
        // 5 of a listen(128) queue: not full, no counter moved
        List<SocketEntry> a = new ArrayList<>(List.of(backlog(listen("0.0.0.0", 443), 128)));
        for (int i = 0; i < 5; i++) a.add(sock("10.0.0.1", 443, "203.0.113.1", 30000 + i, TcpState.SYN_RECV, null));
        counters.put(1_000L, netstat(1_000, 3, 3, 0, 0));
        counters.put(11_000L, netstat(11_000, 3, 3, 0, 0));
        assertTrue(run(advisor(), List.of(a, a), 10_000).rule("syn-recv").isEmpty());
    }

    @Test
    void orphanedFinWait2AndWhatFinTimeoutReallyDoes() {
        List<SocketEntry> a = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SocketEntry e = sock("10.0.0.1", 43000 + i, "10.0.0.6", 8443, TcpState.FIN_WAIT2, null);
            a.add(new SocketEntry(e.key(), e.state(), null, 0, 0, null, null, 0, 1000, 0, null, null, false));
        }
        a.add(owned(sock("10.0.0.1", 44000, "10.0.0.6", 8443, TcpState.FIN_WAIT2, null), 55, "app"));
        Finding f = run(advisor(), List.of(a, a), 20_000).rule("fin-wait2-orphans").get(0);
        assertTrue(EN.render(f.title()).startsWith("12 orphaned FIN_WAIT_2"), EN.render(f.title()));
        assertTrue(EN.render(f.evidence().get(0)).contains("oldest at least 20 s"), EN.render(f.evidence().get(0)));
        assertTrue(EN.render(f.evidence().get(2)).contains("tcp_fin_timeout = 60 s"));
        assertTrue(EN.render(f.evidence().get(3)).startsWith("1 other FIN_WAIT_2"));
        assertTrue(EN.render(f.fixes().get(1)).contains("does not shorten TIME_WAIT"));
        assertTrue(f.sysctls().isEmpty(), "12 orphans do not justify a change");
    }

    @Test
    void timeWaitCapOverflow() throws Exception {
        sysctl("net.ipv4.tcp_max_tw_buckets", "40");
        List<SocketEntry> tw = timeWaits("10.0.0.1", 45000, 35, "10.0.0.5", 80);
        counters.put(1_000L, netstat(1_000, 0, 0, 0, 100));
        counters.put(6_000L, netstat(6_000, 0, 0, 0, 180));
        Finding f = run(advisor(), List.of(tw, tw), 5_000).rule("timewait-cap").get(0);
        assertEquals(Finding.Severity.WARNING, f.severity());
        assertTrue(EN.render(f.evidence().get(0)).contains("35 of tcp_max_tw_buckets = 40"));
        assertTrue(EN.render(f.evidence().get(1)).contains("grew by 80 in 5 s"));
        assertEquals("80", f.sysctls().get(0).value());
    }

    @Test
    void settingsThatDoNothingOrHarm() throws Exception {
        sysctl("net.ipv4.tcp_timestamps", "0");
        sysctl("net.ipv4.tcp_tw_reuse", "1");
        sysctl("net.ipv4.tcp_tw_recycle", "1");
        Run r = run(advisor(), List.of(List.of()), 1000);
        assertEquals(Finding.Severity.CRITICAL, r.rule("tw-recycle").get(0).severity());
        assertEquals(Finding.Severity.WARNING, r.rule("tw-reuse-without-timestamps").get(0).severity());
        String snippet = r.advice().sysctlSnippet(EN);
        assertTrue(snippet.contains("net.ipv4.tcp_tw_recycle = 0\n"), snippet);
        assertTrue(snippet.contains("net.ipv4.tcp_timestamps = 1\n"));
    }

    @Test
    void netstatParsingAndDeltas() {
        NetstatCounters a = netstat(0, 1, 2, 3, 4), b = netstat(1, 11, 2, 5, 4);
        assertEquals(10, b.delta(a, NetstatCounters.LISTEN_OVERFLOWS).getAsLong());
        assertEquals(2, b.delta(a, NetstatCounters.SYNCOOKIES_SENT).getAsLong());
        assertTrue(b.delta(NetstatCounters.none(), NetstatCounters.LISTEN_DROPS).isEmpty());
        assertEquals(0, b.get("IpExt.InNoRoutes").getAsLong());
    }
}
