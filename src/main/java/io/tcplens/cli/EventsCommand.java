package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.export.SocketJson;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Every TCP state change as the kernel reports it, like bcc's tcpstates.",
                "From the tracepoint sock:inet_sock_set_state: time, pid where known, 4-tuple, old -> new state, time spent in the old state.",
                "Needs root (or CAP_BPF + CAP_PERFMON), bpftrace and the kernel's BTF; says in one line why not.",
                "The kernel names states its own way: a close that leaves a TIME_WAIT mini-socket shows as FIN_WAIT2 -> CLOSE."})
public final class EventsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Mixin EventStreamOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<Long, Long> since = new HashMap<>(); // socket -> mono time it entered its current state
        return options.follow(spec, String.format(Locale.ROOT, "%-12s %7s %-15s %-41s %-41s %-25s %10s", "TIME", "PID", "COMM",
                "LOCAL", "REMOTE", "OLD -> NEW", "MS_IN_OLD"), new EventStreamOptions.Lines() {
            @Override
            public boolean take(KernelTransition t, PrintWriter out) {
                Long entered = since.remove(t.socketId());
                if (!t.endsLife()) since.put(t.socketId(), t.monoNanos());
                if (!options.matches(t)) return false;
                print(out, t, entered == null ? null : (t.monoNanos() - entered) / 1e6);
                return true;
            }

            @Override
            public void bound() {
                if (since.size() > 1_000_000) since.clear(); // a bound; ages restart
            }

            @Override
            public String lost(long lost, long total) {
                return lost + " events lost (" + total + " so far)";
            }
        });
    }

    private void print(PrintWriter out, KernelTransition t, Double ms) {
        if (options.json) {
            ObjectNode n = SocketJson.MAPPER.createObjectNode();
            n.put("time", Instant.ofEpochMilli(t.atMillis()).toString());
            n.put("monoNanos", t.monoNanos());
            if (t.pid() != null) n.put("pid", t.pid());
            else n.putNull("pid");
            n.put("comm", t.comm());
            n.put("local", t.key().local().toString());
            n.put("remote", t.key().remote().toString());
            n.put("oldState", t.from().name());
            n.put("newState", t.to().name());
            if (ms != null) n.put("msInOldState", Math.round(ms * 1000) / 1000.0);
            else n.putNull("msInOldState");
            n.put("socket", Long.toHexString(t.socketId()));
            out.println(n.toString());
        } else {
            out.printf(Locale.ROOT, "%-12s %7s %-15s %-41s %-41s %-25s %10s%n", TIME.format(Instant.ofEpochMilli(t.atMillis())),
                    t.pid() == null ? "-" : t.pid().toString(), t.comm() == null ? "-" : t.comm(),
                    t.key().local(), t.key().remote(), name(t.from()) + " -> " + name(t.to()),
                    ms == null ? "-" : String.format(Locale.ROOT, "%.3f", ms));
        }
    }

    static String name(KernelTcpState s) {
        return s.name();
    }
}
