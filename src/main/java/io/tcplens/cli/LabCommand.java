package io.tcplens.cli;

import io.tcplens.lab.Lab;
import io.tcplens.lab.LabEvent;
import io.tcplens.lab.LabScenario;
import io.tcplens.lab.LabSettings;
import io.tcplens.lab.LabSource;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import io.tcplens.io.TerminalText;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.util.Set;

/** {@code tcplens lab SCENARIO}: runs a lab scenario on loopback, printing its events and the states the kernel shows. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Run one of the article's scenarios with real sockets on 127.0.0.1 and show what the kernel reports.",
                "Scenarios: client-close, server-close, rst-close, keep-alive, port-pool, ephemeral-range, server-restart, close-wait-leak, nat."})
public final class LabCommand implements Callable<Integer> {
    /** Event keys that mean the scenario could not run. */
    static final Set<String> FAILURES = Set.of("setupFailed", "internalError");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "Scenario to run (see --list).")
    String scenarioName;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--connections", paramLabel = "N", description = "Connections (requests, for keep-alive) to make.")
    Integer connections;

    @Option(names = "--rate", paramLabel = "R", description = "Connections per second.")
    Double rate;

    @Option(names = "--payload", paramLabel = "BYTES", description = "Bytes of each request and reply.")
    Integer payload;

    @Option(names = "--pool-start", paramLabel = "PORT", description = "First port of the client's local-port pool (default: a free block).")
    Integer poolStart;

    @Option(names = "--pool-size", paramLabel = "N", description = "Ports in the pool (port-pool, nat).")
    Integer poolSize;

    @Option(names = "--reuse-address", description = "Set SO_REUSEADDR (server-restart: on the server; port-pool: on the client).")
    boolean reuseAddress;

    @Option(names = "--hold-open", description = "port-pool: keep the connections open instead of closing them.")
    boolean holdOpen;

    @Option(names = "--duration", paramLabel = "D", converter = RecordCommand.SpanConverter.class,
            description = "Stop the run after this long (default depends on the scenario; at most 10m).")
    Duration duration;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "250ms", converter = RecordCommand.DurationConverter.class,
            description = "How often to read the kernel's table while the run goes (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResourceBundle bundle = LabEvent.bundle(Locale.getDefault());
        if (list || scenarioName == null) {
            // without a scenario it is a usage error: the list goes to stderr with the reason
            PrintWriter to = list ? out : err;
            if (!list) to.println("tcplens lab: choose a scenario (tcplens lab SCENARIO); the scenarios are:");
            for (LabScenario s : LabScenario.values())
                to.printf("%-16s %s%n%-16s   %s%n", s.id(), bundle.getString(s.titleKey()), "",
                        bundle.getString(s.descriptionKey()));
            to.flush();
            return list ? 0 : 2;
        }
        LabScenario scenario = LabScenario.parse(scenarioName).orElse(null);
        if (scenario == null) {
            err.println("tcplens lab: unknown scenario '" + TerminalText.oneLine(scenarioName) + "' (known: " + LabScenario.ids() + ")");
            return 2;
        }
        LabSettings s = LabSettings.defaults(scenario);
        if (connections != null) s = s.withConnections(connections);
        if (rate != null) s = s.withRate(rate);
        if (payload != null) s = s.withPayload(payload);
        if (poolStart != null || poolSize != null)
            s = s.withPortPool(poolStart != null ? poolStart : s.portPoolStart(), poolSize != null ? poolSize : s.portPoolSize());
        if (reuseAddress) s = s.withReuseAddress(true);
        if (holdOpen) s = s.withHoldOpen(true);
        if (duration != null) s = s.withMaxDuration(duration);
        if (s.problem().isPresent()) {
            err.println("tcplens lab: " + s.problem().get());
            return 2;
        }

        SocketTableSource live;
        try {
            live = Sources.open("auto");
        } catch (SourceException e) {
            err.println("tcplens lab: " + e.getMessage());
            return 1;
        }
        Map<TcpState, Integer> maxSeen = new EnumMap<>(TcpState.class);
        // the run itself could not happen (setup failed, internal error); other errors are what a scenario shows
        AtomicReference<String> failure = new AtomicReference<>();
        // the first connect() that failed: when no connection of the run ever reached the kernel's
        // table, the scenario showed nothing and failed (e.g. loopback down: every connect unreachable)
        AtomicReference<String> firstConnectFailure = new AtomicReference<>();
        try (Lab lab = new Lab(); LabSource source = new LabSource(lab, live, false, scenario.id())) {
            Object lock = new Object();
            lab.addListener(e -> {
                if (e.isError() && FAILURES.contains(e.key())) failure.compareAndSet(null, e.line(bundle));
                if (e.isError() && "connect".equals(e.operation())) firstConnectFailure.compareAndSet(null, e.line(bundle));
                synchronized (lock) {
                    String line = TIME.format(Instant.ofEpochMilli(e.timeMillis())) + "  " + (e.isError() ? "ERROR " : "")
                            + e.line(bundle);
                    out.println(line);
                    out.flush();
                }
            });
            out.printf("%s — %s%n", bundle.getString(scenario.titleKey()), bundle.getString(scenario.descriptionKey()));
            out.printf("states are read from %s%n", source.info().label());
            lab.start(scenario, s);
            String lastLine = "";
            do {
                lastLine = printStates(source, out, lock, maxSeen, lastLine);
            } while (!lab.awaitFinished(interval));
            Thread.sleep(200); // let the last closes reach the kernel's table
            printStates(source, out, lock, maxSeen, lastLine);
            synchronized (lock) {
                out.println("states seen (most at once): " + format(maxSeen));
                out.flush();
            }
        }
        if (failure.get() == null && firstConnectFailure.get() != null
                && maxSeen.keySet().stream().allMatch(st -> st == TcpState.LISTEN))
            failure.set("no connection could be made; first: " + firstConnectFailure.get());
        if (failure.get() != null) {
            err.println("tcplens lab: the scenario failed: " + TerminalText.oneLine(failure.get()));
            return 1;
        }
        return 0;
    }

    private static String printStates(SocketTableSource source, PrintWriter out, Object lock,
                                      Map<TcpState, Integer> maxSeen, String last) {
        Snapshot snap;
        try {
            snap = source.poll();
        } catch (SourceException e) {
            return last;
        }
        Map<TcpState, Integer> counts = new EnumMap<>(TcpState.class);
        snap.sockets().forEach(e -> counts.merge(e.state(), 1, Integer::sum));
        counts.forEach((k, v) -> maxSeen.merge(k, v, Math::max));
        String line = "kernel: " + (counts.isEmpty() ? "no lab sockets" : format(counts));
        if (!line.equals(last)) {
            synchronized (lock) {
                out.println(TIME.format(Instant.ofEpochMilli(snap.timestampMillis())) + "  " + line);
                out.flush();
            }
        }
        return line;
    }

    private static String format(Map<TcpState, Integer> m) {
        return m.isEmpty() ? "none" : m.entrySet().stream().map(e -> e.getKey().name() + " " + e.getValue())
                .collect(Collectors.joining(" · "));
    }
}
