package io.tcplens.export.prometheus;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import io.tcplens.model.SocketHolders;
import java.util.Locale;

/**
 * Turns one poll and its analysis into Prometheus metric families. Pure: the same input gives the
 * same families; the collector publishes the latest result. Every family has HELP; label values
 * of destinations, processes and networks are bounded by {@link TopN} ({@code topN} + {@code other}).
 */
public final class TcpMetrics {
    private TcpMetrics() {}

    /**
     * What one publication is made of.
     *
     * @param poll      the latest poll (its error set when the source failed)
     * @param ports     the port analysis of that poll, or null when there is none (failed poll)
     * @param counters  the kernel counters read with it ({@link NetstatCounters#none()} when not this machine's kernel)
     * @param twReuse   net.ipv4.tcp_tw_reuse, when readable
     * @param source    where the table comes from
     * @param polls     polls since start
     * @param errors    failed polls since start
     * @param topN      label values kept per family before the rest is summed into {@code other}
     */
    public record Input(PollResult poll, PortReport ports, NetstatCounters counters, OptionalLong twReuse,
                        SourceInfo source, long polls, long errors, int topN) {}

    // names, shared with the dashboard/rules tests
    public static final String UP = "tcplens_up";
    public static final String SOURCE = "tcplens_source";
    public static final String POLL_DURATION = "tcplens_poll_duration_seconds";
    public static final String POLLS = "tcplens_polls";
    public static final String POLL_ERRORS = "tcplens_poll_errors";
    public static final String LAST_POLL = "tcplens_last_poll_timestamp_seconds";
    public static final String SOCKETS = "tcplens_sockets";
    public static final String DEST_IN_USE = "tcplens_destination_ephemeral_ports_in_use";
    public static final String DEST_USABLE = "tcplens_destination_ephemeral_ports_usable";
    public static final String DEST_HEADROOM = "tcplens_destination_port_headroom_ratio";
    public static final String DEST_CLOSES = "tcplens_destination_closes_per_second";
    public static final String DEST_EXHAUSTION = "tcplens_destination_exhaustion_forecast_seconds";
    public static final String DESTINATIONS = "tcplens_destinations";
    public static final String CLOSE_WAIT = "tcplens_close_wait_sockets";
    public static final String CLOSE_WAIT_AGE = "tcplens_close_wait_oldest_age_seconds";
    public static final String CLOSE_WAIT_PROCESSES = "tcplens_close_wait_processes";
    public static final String SYN_RECV = "tcplens_syn_recv_sockets";
    public static final String SYN_RECV_NETWORKS = "tcplens_syn_recv_networks";
    public static final String TW_REUSE = "tcplens_tcp_tw_reuse";

    /** Every metric name the exporter can expose, as a scrape shows it (counters with _total, the info with _info). */
    public static List<String> names() {
        List<String> n = new ArrayList<>(List.of(UP, SOURCE + "_info", POLL_DURATION, POLLS + "_total", POLL_ERRORS + "_total",
                LAST_POLL, SOCKETS, DEST_IN_USE, DEST_USABLE, DEST_HEADROOM, DEST_CLOSES, DEST_EXHAUSTION, DESTINATIONS,
                CLOSE_WAIT, CLOSE_WAIT_AGE, CLOSE_WAIT_PROCESSES, SYN_RECV, SYN_RECV_NETWORKS, TW_REUSE));
        for (KernelCounter k : KernelCounter.ALL) n.add(k.name() + "_total");
        return List.copyOf(n);
    }

    /** Only what says whether the exporter works: for a failed or stale poll, the table metrics are left out, not repeated. */
    public static MetricSnapshots status(SourceInfo source, boolean up, long polls, long errors, Double pollSeconds) {
        List<MetricSnapshot> out = new ArrayList<>();
        addStatus(out, source, up, polls, errors, pollSeconds);
        return new MetricSnapshots(out);
    }

    private static void addStatus(List<MetricSnapshot> out, SourceInfo source, boolean up, long polls, long errors, Double pollSeconds) {
        out.add(gauge(UP, "1 when the last poll of the socket table succeeded and is recent; 0 when the source failed or polling stopped"
                + " (the table metrics are then absent rather than stale).", null, List.of(point(up ? 1 : 0))));
        out.add(InfoSnapshot.builder().name(SOURCE).help("The socket-table source in use (kind: live, lab, replay, simulated).")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("source", source.name(),
                        "kind", source.kind().name().toLowerCase(Locale.ROOT), "description", source.description())).build())
                .build());
        out.add(counter(POLLS, "Polls of the socket table since the exporter started.", polls));
        out.add(counter(POLL_ERRORS, "Polls that failed since the exporter started (the source could not be read).", errors));
        if (pollSeconds != null)
            out.add(gauge(POLL_DURATION, "What the last poll cost the exporter: read, parse, owners, diff and tracking.", Unit.SECONDS,
                    List.of(point(pollSeconds))));
    }

    public static MetricSnapshots build(Input in) {
        List<MetricSnapshot> out = new ArrayList<>();
        PollResult r = in.poll();
        boolean ok = r.error() == null;
        addStatus(out, in.source(), ok, in.polls(), in.errors(), r.pollMillis() / 1000.0);
        kernel(out, in);
        if (!ok) return new MetricSnapshots(out);

        long now = r.snapshot().timestampMillis();
        out.add(gauge(LAST_POLL, "When the socket table behind these metrics was read (Unix time).", Unit.SECONDS,
                List.of(point(now / 1000.0))));

        // sockets per state, every state present
        List<GaugeDataPointSnapshot> states = new ArrayList<>();
        r.snapshot().countByState().forEach((s, n) -> states.add(point(n, "state", s.name())));
        out.add(gauge(SOCKETS, "TCP sockets per state (RFC 9293 names, as ss and netstat print them).", null, states));

        if (in.ports() != null) destinations(out, in.ports(), in.topN());
        closeWait(out, r, now, in.topN());
        synRecv(out, r, in.topN());
        return new MetricSnapshots(out);
    }

    private static void destinations(List<MetricSnapshot> out, PortReport report, int topN) {
        TopN.Split<DestinationUsage> split = TopN.split(report.destinations(), topN);
        List<GaugeDataPointSnapshot> inUse = new ArrayList<>(), usable = new ArrayList<>(), headroom = new ArrayList<>(),
                closes = new ArrayList<>(), exhaustion = new ArrayList<>();
        for (DestinationUsage u : split.kept()) {
            String[] l = {"local", u.destination().localHost(), "remote", u.destination().remote().toString()};
            inUse.add(point(u.inUse(), l));
            closes.add(point(u.closesPerSecond(), l));
            if (u.usable() > 0) {
                usable.add(point(u.usable(), l));
                headroom.add(point(Math.max(0, 1 - u.fraction()), l));
            }
            if (u.forecast() != null && u.forecast().willExhaust()) exhaustion.add(point(u.forecast().secondsToExhaustion(), l));
        }
        if (split.hasRest()) {
            String[] l = {"local", TopN.OTHER, "remote", TopN.OTHER};
            inUse.add(point(split.rest().stream().mapToInt(DestinationUsage::inUse).sum(), l));
            closes.add(point(split.rest().stream().mapToDouble(DestinationUsage::closesPerSecond).sum(), l));
        }
        String bound = " Top " + topN + " destinations by pressure; the rest are summed into local=\"other\", remote=\"other\".";
        out.add(gauge(DEST_IN_USE, "Ephemeral ports held towards one destination (local address -> remote address:port), every state."
                + bound, null, inUse));
        out.add(gauge(DEST_USABLE, "Ephemeral ports the kernel can pick towards one destination: ip_local_port_range minus reserved ports."
                + " Absent when the range is unknown and for \"other\".", null, usable));
        out.add(gauge(DEST_HEADROOM, "Fraction of a destination's usable ephemeral ports still free (1 = all free, 0 = connect() fails"
                + " with EADDRNOTAVAIL). Counts TIME_WAIT ports as held: with tcp_tw_reuse on for this destination the kernel may"
                + " reuse them, so this is the pessimistic figure. Absent for \"other\".", Unit.RATIO, headroom));
        out.add(gauge(DEST_CLOSES, "Active closes (entries into TIME_WAIT) per second towards one destination, measured over the"
                + " exporter's rate window." + bound, null, closes));
        out.add(gauge(DEST_EXHAUSTION, "Seconds until a destination's ephemeral ports run out if connections keep closing at the"
                + " measured rate (0 = out now); absent when the rate never gets there. TIME_WAIT ports count as held"
                + " (see tcplens_tcp_tw_reuse). Top " + topN + " destinations only.", Unit.SECONDS, exhaustion));
        out.add(gauge(DESTINATIONS, "Destinations this machine connects to, before the top-N cut of the per-destination metrics.",
                null, List.of(point(report.destinations().size()))));
    }

    private static void closeWait(List<MetricSnapshot> out, PollResult r, long now, int topN) {
        record Owner(String process, String pid) {}
        Map<Owner, Integer> count = new HashMap<>();
        Map<Owner, Long> oldest = new HashMap<>();
        for (SocketEntry e : r.snapshot().sockets()) {
            if (e.state() != TcpState.CLOSE_WAIT) continue;
            TrackedConnection t = r.connections().get(e.key());
            long age = t == null ? 0 : t.timeInStateMillis(now);
            // a socket several processes hold (after fork()) counts for each of them, as ss -p names them all:
            // any of them may be the one that never closes it
            List<SocketHolders.Holder> holders = r.snapshot().holders().of(e.inode());
            List<Owner> owners = holders.isEmpty()
                    ? List.of(new Owner(e.process() != null ? e.process() : "unknown", e.pid() != null ? e.pid().toString() : ""))
                    : holders.stream().map(h -> new Owner(h.name() != null ? h.name() : "unknown", Integer.toString(h.pid()))).toList();
            for (Owner o : owners) {
                count.merge(o, 1, Integer::sum);
                oldest.merge(o, age, Math::max);
            }
        }
        TopN.Split<Owner> split = TopN.byCount(count, topN);
        List<GaugeDataPointSnapshot> n = new ArrayList<>(), age = new ArrayList<>();
        for (Owner o : split.kept()) {
            n.add(point(count.get(o), "process", o.process(), "pid", o.pid()));
            age.add(point(oldest.get(o) / 1000.0, "process", o.process(), "pid", o.pid()));
        }
        if (split.hasRest()) {
            n.add(point(split.rest().stream().mapToInt(count::get).sum(), "process", TopN.OTHER, "pid", ""));
            age.add(point(split.rest().stream().mapToLong(oldest::get).max().orElse(0) / 1000.0, "process", TopN.OTHER, "pid", ""));
        }
        String bound = " Top " + topN + " processes by count; the rest are summed into process=\"other\".";
        out.add(gauge(CLOSE_WAIT, "CLOSE_WAIT sockets per owning process (the peer closed, the process has not): a steady rise is a leak."
                + " process=\"unknown\" when owners cannot be read (run as root or with CAP_SYS_PTRACE). A socket several processes"
                + " hold (after fork()) counts for each of them, so the series may add up to more than tcplens_sockets{state=\"CLOSE_WAIT\"}."
                + bound, null, n));
        out.add(gauge(CLOSE_WAIT_AGE, "Time the oldest CLOSE_WAIT socket of a process has been in that state, measured from when the"
                + " exporter first saw it (so at most the exporter's uptime)." + bound, Unit.SECONDS, age));
        out.add(gauge(CLOSE_WAIT_PROCESSES, "Processes holding CLOSE_WAIT sockets, before the top-N cut.", null,
                List.of(point(count.size()))));
    }

    private static void synRecv(List<MetricSnapshot> out, PollResult r, int topN) {
        Map<String, Integer> byNet = new HashMap<>();
        for (SocketEntry e : r.snapshot().sockets())
            if (e.state() == TcpState.SYN_RECV) byNet.merge(Advisor.network(e.remote()), 1, Integer::sum);
        TopN.Split<String> split = TopN.byCount(byNet, topN);
        List<GaugeDataPointSnapshot> n = new ArrayList<>();
        for (String net : split.kept()) n.add(point(byNet.get(net), "network", net));
        if (split.hasRest()) n.add(point(split.rest().stream().mapToInt(byNet::get).sum(), "network", TopN.OTHER));
        out.add(gauge(SYN_RECV, "Half-open connections (SYN_RECV) per remote /24 (IPv4) or /64 (IPv6). Top " + topN
                + " networks by count; the rest are summed into network=\"other\".", null, n));
        out.add(gauge(SYN_RECV_NETWORKS, "Remote networks with half-open connections, before the top-N cut.", null,
                List.of(point(byNet.size()))));
    }

    private static void kernel(List<MetricSnapshot> out, Input in) {
        NetstatCounters c = in.counters();
        for (KernelCounter k : KernelCounter.ALL) {
            OptionalLong v = c.get(k.key());
            if (v.isPresent()) out.add(counter(k.name(), k.help(), v.getAsLong()));
        }
        if (in.twReuse().isPresent())
            out.add(gauge(TW_REUSE, "net.ipv4.tcp_tw_reuse: 0 off, 1 on, 2 loopback only. Where it applies, connect() may take over"
                    + " a TIME_WAIT 4-tuple, so the headroom and exhaustion figures (which count TIME_WAIT ports as held) are pessimistic.",
                    null, List.of(point(in.twReuse().getAsLong()))));
    }

    private static GaugeDataPointSnapshot point(double v, String... labels) {
        GaugeDataPointSnapshot.Builder b = GaugeDataPointSnapshot.builder().value(v);
        if (labels.length > 0) b.labels(Labels.of(labels));
        return b.build();
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, List<GaugeDataPointSnapshot> points) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) b.unit(unit);
        points.forEach(b::dataPoint);
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
