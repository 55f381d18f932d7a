package io.tcplens.analysis.advisor;

import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.Listeners;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortSpan;
import io.tcplens.engine.PollResult;
import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Looks at the TCP table over a window of polls, the kernel's settings and its listen-queue
 * counters, and says what is going on and what actually fixes it. Every finding cites the numbers
 * that triggered it. The advice is for current Linux: it never suggests tcp_tw_recycle (removed in
 * 4.12) and never presents tcp_fin_timeout as a TIME_WAIT knob. Not thread-safe.
 */
public final class Advisor {
    /** Default window over which growth and rates are measured. */
    public static final long DEFAULT_WINDOW_MILLIS = 60_000;

    // thresholds, public so the UI and the docs can cite them
    public static final int CLOSE_WAIT_GROWTH = 5;
    public static final long CLOSE_WAIT_AGE_MILLIS = 60_000;
    public static final int SYN_RECV_COUNT = 64;
    public static final int SYN_RECV_GROWTH = 32;
    public static final int FIN_WAIT2_ORPHANS = 10;
    public static final long FIN_WAIT2_AGE_MILLIS = 30_000;
    public static final double TW_BUCKETS_FRACTION = 0.8;
    /** The range suggested when ports run out: wide, above the registered ports most services use. */
    public static final int SUGGESTED_RANGE_FIRST = 10_000;
    public static final int SUGGESTED_RANGE_LAST = 65_535;

    private record Sample(long atMillis, Map<String, Integer> closeWaitByOwner, int synRecv, NetstatCounters counters) {}

    private final KernelSettings settings;
    private final LongFunction<NetstatCounters> counters;
    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * @param settings     the kernel's settings (read once)
     * @param counters     reads /proc/net/netstat at a given time ({@link NetstatCounters#none()} where there is none)
     * @param windowMillis how far back growth is measured
     */
    public Advisor(KernelSettings settings, LongFunction<NetstatCounters> counters, long windowMillis) {
        this.settings = settings;
        this.counters = counters;
        this.windowMillis = windowMillis;
    }

    /** The live system: /proc/sys and /proc/net/netstat. */
    public static Advisor system() {
        return new Advisor(KernelSettings.read(SysctlReader.system()),
                t -> NetstatCounters.read(Path.of("/proc"), t), DEFAULT_WINDOW_MILLIS);
    }

    public KernelSettings settings() {
        return settings;
    }

    /** Records one poll (call for every poll, oldest first). */
    public void observe(PollResult r) {
        long now = r.snapshot().timestampMillis();
        Map<String, Integer> cw = new HashMap<>();
        int syn = 0;
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() == TcpState.CLOSE_WAIT) cw.merge(owner(e), 1, Integer::sum);
            else if (e.state() == TcpState.SYN_RECV) syn++;
        }
        samples.addLast(new Sample(now, cw, syn, counters.apply(now)));
        while (samples.size() > 2 && now - samples.peekFirst().atMillis() > windowMillis) samples.removeFirst();
    }

    /** Seconds between the oldest and newest observed poll. */
    public double observedSeconds() {
        return samples.size() < 2 ? 0 : (samples.peekLast().atMillis() - samples.peekFirst().atMillis()) / 1000.0;
    }

    /** The advice for the latest poll (which must have been observed) and its port report. */
    public Advice advise(PollResult latest, PortReport ports) {
        if (samples.isEmpty() || samples.peekLast().atMillis() != latest.snapshot().timestampMillis()) observe(latest);
        List<Finding> findings = new ArrayList<>();
        Listeners listeners = Listeners.of(latest.snapshot().sockets());
        settingsFindings(findings);
        timeWaitSide(latest, listeners, findings);
        if (ports != null) portExhaustion(ports, listeners, findings);
        timeWaitCap(latest, findings);
        closeWait(latest, findings);
        synRecv(latest, findings);
        finWait2(latest, findings);
        findings.sort(Comparator.comparing((Finding f) -> f.severity()).reversed());
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new Advice(latest.snapshot().source().label(), kernel, observedSeconds(), settings.explain(), findings,
                SysctlSnippet.render(findings));
    }

    // ---------------------------------------------------------------- rules

    private void settingsFindings(List<Finding> out) {
        OptionalLong reuse = settings.number(KernelSettings.TW_REUSE);
        OptionalLong ts = settings.number(KernelSettings.TIMESTAMPS);
        if (reuse.isPresent() && reuse.getAsLong() != 0 && ts.isPresent() && ts.getAsLong() == 0) {
            out.add(new Finding("tw-reuse-without-timestamps", Finding.Severity.WARNING,
                    "tcp_tw_reuse is " + reuse.getAsLong() + " but tcp_timestamps is 0, so it has no effect",
                    List.of("net.ipv4.tcp_tw_reuse = " + reuse.getAsLong(), "net.ipv4.tcp_timestamps = 0"),
                    List.of("tw_reuse decides from TCP timestamps whether a new connection's segments are newer than the old one's; without timestamps it never reuses. Turn timestamps back on."),
                    List.of(new SysctlSuggestion(KernelSettings.TIMESTAMPS, "1", "0",
                            "tcp_tw_reuse needs TCP timestamps (RFC 7323) to work"))));
        }
        OptionalLong recycle = settings.number(KernelSettings.TW_RECYCLE);
        if (recycle.isPresent() && recycle.getAsLong() != 0) {
            out.add(new Finding("tw-recycle", Finding.Severity.CRITICAL,
                    "tcp_tw_recycle is on: clients behind NAT will have connections dropped",
                    List.of("net.ipv4.tcp_tw_recycle = " + recycle.getAsLong() + " (this kernel predates 4.12, which removed it)"),
                    List.of("Turn it off. It drops SYNs whose timestamps look older than the last seen from the same address, and clients sharing a NAT address have unrelated timestamps."),
                    List.of(new SysctlSuggestion(KernelSettings.TW_RECYCLE, "0", Long.toString(recycle.getAsLong()),
                            "broke clients behind NAT; removed in Linux 4.12"))));
        }
    }

    private void timeWaitSide(PollResult r, Listeners listeners, List<Finding> out) {
        Map<Endpoint, Integer> clientByDest = new HashMap<>();
        Map<Integer, Integer> serverByPort = new HashMap<>();
        int client = 0, server = 0;
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() != TcpState.TIME_WAIT) continue;
            if (listeners.isInbound(e)) {
                server++;
                serverByPort.merge(e.local().port(), 1, Integer::sum);
            } else {
                client++;
                clientByDest.merge(e.remote(), 1, Integer::sum);
            }
        }
        if (client + server == 0) return;
        List<String> ev = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        ev.add("TIME_WAIT sockets: " + n(client + server) + " (" + n(client) + " on local ephemeral ports, "
                + n(server) + " on local listening ports)");
        String title;
        if (client > 0) {
            Map.Entry<Endpoint, Integer> top = top(clientByDest);
            ev.add("as a client this machine closed first: " + n(client) + " towards " + n(clientByDest.size())
                    + " destination(s), most towards " + top.getKey() + " (" + n(top.getValue()) + ")");
            fixes.add("Client side: reuse connections (HTTP keep-alive, a connection pool) instead of opening and closing one per request; a connection that stays open leaves no TIME_WAIT and holds one port instead of one per request.");
            fixes.add("Client side: if the protocol allows, let the server close first; TIME_WAIT then stays on the server, where it uses no ephemeral port.");
        }
        if (server > 0) {
            Map.Entry<Integer, Integer> top = top(serverByPort);
            ev.add("as a server this machine closed first: " + n(server) + " on listening port(s), most on port "
                    + top.getKey() + " (" + n(top.getValue()) + ")");
            fixes.add("Server side: TIME_WAIT on a listening port uses no ephemeral port and does not stop new clients (each has its own 4-tuple); it costs a little memory. Let clients close first (keep-alive, client-driven close) if the count matters.");
            fixes.add("Server side: a restart failing with 'bind: Address already in use' is cured by SO_REUSEADDR on the listening socket, not by a sysctl.");
        }
        fixes.add("tcp_fin_timeout does not shorten TIME_WAIT (Linux keeps it a fixed 60 s), and tcp_tw_recycle no longer exists: neither is a fix.");
        if (client > 0 && server > 0) title = "Both sides close first here: " + n(client) + " TIME_WAIT as client, " + n(server) + " as server";
        else if (client > 0) title = "This machine closes first as a client: " + n(client) + " TIME_WAIT sockets hold local ports";
        else title = "This machine's server closes first: " + n(server) + " TIME_WAIT sockets on listening ports";
        out.add(new Finding("timewait-side", Finding.Severity.INFO, title, ev, fixes, List.of()));
    }

    private void portExhaustion(PortReport ports, Listeners listeners, List<Finding> out) {
        for (DestinationUsage u : ports.destinations()) {
            if (u.level() == DestinationUsage.Level.OK || u.forecast() == null) continue;
            var f = u.forecast();
            double dSec = ports.timeWait().millis() / 1000.0;
            List<String> ev = new ArrayList<>();
            ev.add(String.format(Locale.ROOT, "ports held: %s of %s usable (%.1f %%); by state: %s", n(u.inUse()),
                    n(u.usable()), 100.0 * u.inUse() / u.usable(), states(u.byState())));
            ev.add(ports.rateMeasured()
                    ? String.format(Locale.ROOT, "active closes: %.1f/s over the last %.0f s; steady-state TIME_WAIT = %.1f/s × %.0f s = %s",
                    u.closesPerSecond(), ports.windowSeconds(), u.closesPerSecond(), dSec, n(Math.round(u.steadyStateTimeWait())))
                    : "close rate not measured yet (needs two polls)");
            ev.add(String.format(Locale.ROOT, "highest sustainable rate: %s usable ÷ %.0f s = %.1f new connections/s",
                    n(u.usable()), dSec, f.maxSustainableRate()));
            String when;
            if (f.exhaustedNow()) {
                when = "out of ports now";
                ev.add("out of ports now: connect() towards it fails with EADDRNOTAVAIL (errno 99, 'Cannot assign requested address')");
            } else if (f.willExhaust()) {
                when = "out of ports in " + duration(Math.round(f.secondsToExhaustion() * 1000));
                ev.add("time to exhaustion at this rate: " + duration(Math.round(f.secondsToExhaustion() * 1000)));
            } else {
                when = "steady state " + n(Math.round(f.steadyState())) + " ports";
                ev.add("at this rate it settles at " + n(Math.round(f.steadyState())) + " of " + n(u.usable()) + " ports");
            }
            ev.add("range: " + ports.range().origin() + "; TIME_WAIT: " + ports.timeWait().origin());

            List<String> fixes = new ArrayList<>();
            List<SysctlSuggestion> sys = new ArrayList<>();
            fixes.add("1. Reuse connections to " + u.destination().remote()
                    + " (HTTP keep-alive, a connection pool): each request that reuses a connection saves a port for "
                    + Math.round(dSec) + " s.");
            String reuse = settings.value(KernelSettings.TW_REUSE).orElse(null);
            String tsv = settings.value(KernelSettings.TIMESTAMPS).orElse(null);
            boolean loopback = u.destination().remote().address().isLoopbackAddress();
            String delay = settings.value(KernelSettings.TW_REUSE_DELAY).map(d -> " after " + d + " ms in TIME_WAIT").orElse("");
            if ("1".equals(reuse) || ("2".equals(reuse) && loopback)) {
                fixes.add("2. tcp_tw_reuse is already " + reuse + " and applies to this destination: new connections may take over TIME_WAIT 4-tuples" + delay
                        + ("0".equals(tsv) ? ", but tcp_timestamps is 0 so it cannot" : "") + ".");
            } else {
                fixes.add("2. Set net.ipv4.tcp_tw_reuse = 1 (now " + (reuse == null ? "absent" : reuse)
                        + "): outgoing connections may then take over TIME_WAIT 4-tuples" + delay
                        + " when TCP timestamps prove the segments are newer. It only helps connections this machine opens.");
                if (reuse != null) sys.add(new SysctlSuggestion(KernelSettings.TW_REUSE, "1", reuse,
                        "let outgoing connections reuse TIME_WAIT 4-tuples (needs tcp_timestamps = 1)"));
                if ("0".equals(tsv)) sys.add(new SysctlSuggestion(KernelSettings.TIMESTAMPS, "1", tsv, "tcp_tw_reuse needs TCP timestamps"));
            }
            int newSize = SUGGESTED_RANGE_LAST - SUGGESTED_RANGE_FIRST + 1;
            if (ports.range().size() < newSize) {
                List<PortSpan> reserve = listenersIn(listeners, SUGGESTED_RANGE_FIRST, SUGGESTED_RANGE_LAST, ports.range().reserved());
                fixes.add("3. Widen ip_local_port_range from " + ports.range().first() + "–" + ports.range().last() + " ("
                        + n(ports.range().size()) + " ports) to " + SUGGESTED_RANGE_FIRST + "–" + SUGGESTED_RANGE_LAST + " ("
                        + n(newSize) + "): more ports per destination, the same " + Math.round(dSec) + " s each"
                        + (reserve.isEmpty() ? "." : "; reserve the ports local services listen on inside it ("
                        + PortSpan.format(reserve) + ") with ip_local_reserved_ports."));
                sys.add(new SysctlSuggestion(KernelSettings.PORT_RANGE, SUGGESTED_RANGE_FIRST + " " + SUGGESTED_RANGE_LAST,
                        settings.value(KernelSettings.PORT_RANGE).orElse(null),
                        "more ephemeral ports per destination (" + n(newSize) + " instead of " + n(ports.range().size()) + ")"));
                if (!reserve.isEmpty()) sys.add(new SysctlSuggestion(KernelSettings.RESERVED_PORTS, PortSpan.format(reserve),
                        settings.value(KernelSettings.RESERVED_PORTS).orElse(null),
                        "keep the ports local services listen on out of the ephemeral range"));
            } else {
                fixes.add("3. ip_local_port_range is already wide (" + n(ports.range().size()) + " ports).");
            }
            fixes.add("4. Spread the load: every extra source address, destination address or destination port gets a full range of its own. When binding a source address before connect(), set IP_BIND_ADDRESS_NO_PORT so the kernel picks the port for the whole 4-tuple instead of reserving it at bind().");
            Finding.Severity sev = u.level() == DestinationUsage.Level.CRITICAL ? Finding.Severity.CRITICAL : Finding.Severity.WARNING;
            out.add(new Finding("port-exhaustion", sev, u.destination() + ": "
                    + String.format(Locale.ROOT, "%.0f %%", 100.0 * u.inUse() / u.usable()) + " of ephemeral ports held, " + when,
                    ev, fixes, sys));
        }
    }

    private void timeWaitCap(PollResult r, List<Finding> out) {
        OptionalLong cap = settings.number(KernelSettings.MAX_TW_BUCKETS);
        int tw = 0;
        for (SocketEntry e : r.snapshot().sockets()) if (e.state() == TcpState.TIME_WAIT) tw++;
        Sample first = samples.peekFirst(), last = samples.peekLast();
        OptionalLong overflow = last.counters().delta(first.counters(), NetstatCounters.TIME_WAIT_OVERFLOW);
        boolean near = cap.isPresent() && cap.getAsLong() > 0 && tw >= TW_BUCKETS_FRACTION * cap.getAsLong();
        boolean overflowed = overflow.isPresent() && overflow.getAsLong() > 0;
        if (!near && !overflowed) return;
        List<String> ev = new ArrayList<>();
        ev.add("TIME_WAIT sockets: " + n(tw) + " of tcp_max_tw_buckets = " + (cap.isPresent() ? n(cap.getAsLong()) : "?"));
        if (overflow.isPresent())
            ev.add("TCPTimeWaitOverflow grew by " + n(overflow.getAsLong()) + " in " + Math.round(observedSeconds()) + " s (kernel log: 'time wait bucket table overflow')");
        List<SysctlSuggestion> sys = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        fixes.add("Over the cap the kernel destroys new TIME_WAIT sockets at once, so they lose TIME_WAIT's protection; fewer closes (connection reuse) is the real fix.");
        if (overflowed && cap.isPresent()) {
            fixes.add("If memory allows, raise the cap rather than lowering it.");
            sys.add(new SysctlSuggestion(KernelSettings.MAX_TW_BUCKETS, Long.toString(cap.getAsLong() * 2),
                    Long.toString(cap.getAsLong()), "TIME_WAIT sockets were destroyed early (TCPTimeWaitOverflow grew)"));
        }
        out.add(new Finding("timewait-cap", overflowed ? Finding.Severity.WARNING : Finding.Severity.INFO,
                overflowed ? "The kernel is destroying TIME_WAIT sockets early (cap reached)" : "TIME_WAIT count is near tcp_max_tw_buckets",
                ev, fixes, sys));
    }

    private void closeWait(PollResult r, List<Finding> out) {
        long now = r.snapshot().timestampMillis();
        Map<String, Integer> count = new LinkedHashMap<>();
        Map<String, Long> oldest = new HashMap<>();
        Map<String, Boolean> oldestObserved = new HashMap<>();
        Map<String, TreeSet<String>> remotes = new HashMap<>();
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() != TcpState.CLOSE_WAIT) continue;
            String o = owner(e);
            count.merge(o, 1, Integer::sum);
            TrackedConnection t = r.connections().get(e.key());
            long age = t == null ? 0 : t.timeInStateMillis(now);
            if (age >= oldest.getOrDefault(o, -1L)) {
                oldest.put(o, age);
                oldestObserved.put(o, t != null && t.stateSinceObserved());
            }
            TreeSet<String> rs = remotes.computeIfAbsent(o, k -> new TreeSet<>());
            if (rs.size() < 3) rs.add(e.remote().toString());
        }
        Sample first = samples.peekFirst();
        for (Map.Entry<String, Integer> en : count.entrySet()) {
            String o = en.getKey();
            int c = en.getValue();
            int growth = c - first.closeWaitByOwner().getOrDefault(o, 0);
            long age = oldest.get(o);
            if (growth < CLOSE_WAIT_GROWTH && age < CLOSE_WAIT_AGE_MILLIS) continue;
            List<String> ev = new ArrayList<>();
            ev.add(o + ": " + n(c) + " CLOSE_WAIT socket(s), " + (growth >= 0 ? "+" : "") + growth + " in the last "
                    + Math.round(observedSeconds()) + " s");
            ev.add("oldest: " + (oldestObserved.get(o) ? "" : "at least ") + duration(age) + " in CLOSE_WAIT");
            ev.add("peers, e.g.: " + String.join(", ", remotes.get(o)));
            List<String> fixes = List.of(
                    "The peer has closed and the kernel is waiting for this process to call close(): it never will on its own. Find where the program ignores end-of-stream (read() returning 0/-1) or drops a socket without closing it (use try-with-resources, close in finally, return pooled connections).",
                    "No sysctl removes CLOSE_WAIT: the socket and its file descriptor stay until the process closes it or exits. tcp_fin_timeout does not apply; TCP keep-alive, where the application enabled it, can at most turn it into a closed socket that the process still holds.");
            boolean grave = c >= 50 || growth >= CLOSE_WAIT_GROWTH;
            out.add(new Finding("close-wait", grave ? Finding.Severity.WARNING : Finding.Severity.INFO,
                    o + " does not close its sockets: " + n(c) + " in CLOSE_WAIT" + (growth > 0 ? " and growing" : ""),
                    ev, fixes, List.of()));
        }
    }

    private void synRecv(PollResult r, List<Finding> out) {
        int syn = 0;
        Map<Integer, Integer> byPort = new HashMap<>();
        Map<String, Integer> byNet = new HashMap<>();
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() != TcpState.SYN_RECV) continue;
            syn++;
            byPort.merge(e.local().port(), 1, Integer::sum);
            byNet.merge(network(e.remote()), 1, Integer::sum);
        }
        Sample first = samples.peekFirst(), last = samples.peekLast();
        int growth = syn - first.synRecv();
        OptionalLong ovf = last.counters().delta(first.counters(), NetstatCounters.LISTEN_OVERFLOWS);
        OptionalLong drops = last.counters().delta(first.counters(), NetstatCounters.LISTEN_DROPS);
        OptionalLong cookies = last.counters().delta(first.counters(), NetstatCounters.SYNCOOKIES_SENT);
        boolean counterGrew = pos(ovf) || pos(drops) || pos(cookies);
        if (syn < SYN_RECV_COUNT && growth < SYN_RECV_GROWTH && !counterGrew) return;
        long secs = Math.round(observedSeconds());
        List<String> ev = new ArrayList<>();
        ev.add("SYN_RECV (half-open) now: " + n(syn) + ", " + (growth >= 0 ? "+" : "") + growth + " in the last " + secs + " s");
        if (!byPort.isEmpty()) {
            Map.Entry<Integer, Integer> p = top(byPort);
            ev.add("most on local port " + p.getKey() + ": " + n(p.getValue()));
        }
        Map.Entry<String, Integer> net = byNet.isEmpty() ? null : top(byNet);
        if (net != null) ev.add("most from " + net.getKey() + ": " + n(net.getValue()) + " of " + n(syn));
        if (!last.counters().isEmpty())
            ev.add("in the last " + secs + " s: ListenOverflows +" + d(ovf) + ", ListenDrops +" + d(drops) + ", SyncookiesSent +" + d(cookies)
                    + " (totals " + tot(last.counters(), NetstatCounters.LISTEN_OVERFLOWS) + ", "
                    + tot(last.counters(), NetstatCounters.LISTEN_DROPS) + ", " + tot(last.counters(), NetstatCounters.SYNCOOKIES_SENT) + ")");
        else ev.add("listen-queue counters (/proc/net/netstat) not readable here");
        String sc = settings.value(KernelSettings.SYNCOOKIES).orElse("?");
        OptionalLong backlog = settings.number(KernelSettings.MAX_SYN_BACKLOG);
        OptionalLong somax = settings.number(KernelSettings.SOMAXCONN);
        ev.add("tcp_syncookies = " + sc + ", tcp_max_syn_backlog = " + (backlog.isPresent() ? n(backlog.getAsLong()) : "?")
                + ", somaxconn = " + (somax.isPresent() ? n(somax.getAsLong()) : "?"));
        List<String> fixes = new ArrayList<>();
        List<SysctlSuggestion> sys = new ArrayList<>();
        if ("0".equals(sc)) {
            fixes.add("Turn SYN cookies on: with a full SYN queue the kernel then answers with cookies instead of dropping real clients.");
            sys.add(new SysctlSuggestion(KernelSettings.SYNCOOKIES, "1", sc, "answer SYNs with cookies when a listener's SYN queue overflows"));
        }
        if (backlog.isPresent() && syn >= backlog.getAsLong() / 2) {
            fixes.add("Half-open connections reach half of tcp_max_syn_backlog (" + n(backlog.getAsLong()) + "): raise it (and the application's listen() backlog, which also bounds the SYN queue).");
            sys.add(new SysctlSuggestion(KernelSettings.MAX_SYN_BACKLOG, Long.toString(backlog.getAsLong() * 2),
                    Long.toString(backlog.getAsLong()), n(syn) + " half-open connections observed"));
        }
        if (pos(ovf)) {
            fixes.add("The accept queue overflowed " + d(ovf) + " time(s): the application accepts too slowly or passes a small backlog to listen(). Raise that backlog; net.core.somaxconn caps it.");
            if (somax.isPresent() && somax.getAsLong() < 65_535)
                sys.add(new SysctlSuggestion(KernelSettings.SOMAXCONN, Long.toString(Math.min(65_535, somax.getAsLong() * 2)),
                        Long.toString(somax.getAsLong()), "ListenOverflows grew: allow a longer accept queue (the application must ask for it)"));
        }
        if (net != null && syn >= 20 && net.getValue() * 2 > syn)
            fixes.add("One network sends most of them (" + net.getKey() + ", " + n(net.getValue()) + " of " + n(syn) + "): block it with the firewall export if it is not a real client.");
        if (fixes.isEmpty())
            fixes.add("Half-open connections that linger mean ACKs do not come back: a SYN flood, spoofed sources or a lossy path. SYN cookies are " + ("0".equals(sc) ? "off" : "on") + ".");
        boolean grave = pos(drops) || pos(cookies) || (backlog.isPresent() && syn >= backlog.getAsLong() / 2);
        out.add(new Finding("syn-recv", grave ? Finding.Severity.WARNING : Finding.Severity.INFO,
                (pos(ovf) && syn < SYN_RECV_COUNT ? "Listen queue overflows: " : "Half-open connections pile up: ") + n(syn) + " in SYN_RECV",
                ev, fixes, sys));
    }

    private void finWait2(PollResult r, List<Finding> out) {
        long now = r.snapshot().timestampMillis();
        int orphans = 0, owned = 0;
        long oldest = 0;
        boolean oldestObserved = false;
        Map<String, Integer> byRemote = new HashMap<>();
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() != TcpState.FIN_WAIT2) continue;
            if (!isOrphan(e)) {
                owned++;
                continue;
            }
            orphans++;
            byRemote.merge(e.remote().toString(), 1, Integer::sum);
            TrackedConnection t = r.connections().get(e.key());
            long age = t == null ? 0 : t.timeInStateMillis(now);
            if (age >= oldest) {
                oldest = age;
                oldestObserved = t != null && t.stateSinceObserved();
            }
        }
        if (orphans < FIN_WAIT2_ORPHANS && (orphans == 0 || oldest < FIN_WAIT2_AGE_MILLIS)) return;
        OptionalLong fin = settings.number(KernelSettings.FIN_TIMEOUT);
        List<String> ev = new ArrayList<>();
        ev.add("orphaned FIN_WAIT_2 (no process owns them any more): " + n(orphans) + "; oldest "
                + (oldestObserved ? "" : "at least ") + duration(oldest));
        Map.Entry<String, Integer> top = top(byRemote);
        ev.add("most towards " + top.getKey() + ": " + n(top.getValue()));
        ev.add("tcp_fin_timeout = " + (fin.isPresent() ? fin.getAsLong() + " s" : "?"));
        if (owned > 0) ev.add(n(owned) + " other FIN_WAIT_2 socket(s) still belong to a process (it called shutdown()); tcp_fin_timeout does not apply to those");
        List<String> fixes = new ArrayList<>();
        fixes.add("These closed their side and wait for the peer's FIN: the remote application has not closed its end (there it sits in CLOSE_WAIT). Fix the peer if you can.");
        fixes.add("The kernel drops an orphaned FIN_WAIT_2 after tcp_fin_timeout; lowering it frees them sooner. That is all tcp_fin_timeout does: it does not shorten TIME_WAIT.");
        List<SysctlSuggestion> sys = new ArrayList<>();
        if (orphans >= 1000 && fin.isPresent() && fin.getAsLong() > 30)
            sys.add(new SysctlSuggestion(KernelSettings.FIN_TIMEOUT, "30", Long.toString(fin.getAsLong()),
                    "drop orphaned FIN_WAIT_2 sooner (" + n(orphans) + " observed); does not affect TIME_WAIT"));
        out.add(new Finding("fin-wait2-orphans", orphans >= 1000 ? Finding.Severity.WARNING : Finding.Severity.INFO,
                n(orphans) + " orphaned FIN_WAIT_2 sockets wait for peers that do not close", ev, fixes, sys));
    }

    // ---------------------------------------------------------------- helpers

    /** Kernel sources with inodes mark an orphan by inode 0; sources without inodes by the missing owner. */
    static boolean isOrphan(SocketEntry e) {
        if (e.uid() >= 0) return e.inode() == 0;
        return e.pid() == null;
    }

    /** "java (pid 1234)", "pid 1234" or "owner unknown". */
    public static String owner(SocketEntry e) {
        if (e.process() != null && e.pid() != null) return e.process() + " (pid " + e.pid() + ")";
        if (e.pid() != null) return "pid " + e.pid();
        return "owner unknown";
    }

    /** The /24 of an IPv4 address or the /64 of an IPv6 one. */
    public static String network(Endpoint ep) {
        InetAddress a = ep.address();
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        byte[] m = new byte[16];
        System.arraycopy(b, 0, m, 0, 8);
        return Addresses.format(Addresses.fromBytes(m)) + "/64";
    }

    private static List<PortSpan> listenersIn(Listeners l, int first, int last, List<PortSpan> already) {
        List<PortSpan> out = new ArrayList<>(already);
        for (int p : new TreeSet<>(l.ports())) {
            if (p < first || p > last) continue;
            boolean covered = false;
            for (PortSpan s : already) covered |= s.contains(p);
            if (!covered) out.add(new PortSpan(p, p));
        }
        return out.size() == already.size() ? List.of() : out;
    }

    private static <K> Map.Entry<K, Integer> top(Map<K, Integer> m) {
        Map.Entry<K, Integer> best = null;
        for (Map.Entry<K, Integer> e : m.entrySet())
            if (best == null || e.getValue() > best.getValue()
                    || (e.getValue().equals(best.getValue()) && e.getKey().toString().compareTo(best.getKey().toString()) < 0))
                best = e;
        return best;
    }

    private static String states(Map<TcpState, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.entrySet().stream().sorted(Map.Entry.<TcpState, Integer>comparingByValue().reversed())
                .forEach(e -> parts.add(e.getKey().name() + " " + n(e.getValue())));
        return String.join(", ", parts);
    }

    private static boolean pos(OptionalLong v) {
        return v.isPresent() && v.getAsLong() > 0;
    }

    private static String d(OptionalLong v) {
        return v.isPresent() ? n(v.getAsLong()) : "?";
    }

    private static String tot(NetstatCounters c, String key) {
        OptionalLong v = c.get(key);
        return v.isPresent() ? n(v.getAsLong()) : "?";
    }

    /** Thousands separators, locale-independent. */
    public static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** "45 s", "4 min 12 s", "2 h 3 min". */
    public static String duration(long millis) {
        long s = Math.max(0, Math.round(millis / 1000.0));
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }
}
