package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.export.SocketJson;
import io.tcplens.model.KernelTransition;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "lifetimes", mixinStandardHelpOptions = true,
        description = {"One line per finished connection, like bcc's tcplife.",
                "The pid and process (of the connect(), listen() or close() that the kernel saw), 4-tuple, bytes sent"
                + " (acknowledged) and received, and its life from its first state change (connect or accept) to the socket's close.",
                "Only connections whose start was seen are listed. Needs what `tcplens events` needs."})
public final class LifetimesCommand implements Callable<Integer> {

    @Mixin EventStreamOptions options;

    @Spec CommandSpec spec;

    private static final class Life {
        long startMono;
        Integer pid;
        String comm;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<Long, Life> lives = new HashMap<>();
        return options.follow(spec, String.format(Locale.ROOT, "%-12s %7s %-15s %-41s %-41s %10s %10s %12s", "END", "PID", "COMM",
                "LOCAL", "REMOTE", "TX_KB", "RX_KB", "MS"), new EventStreamOptions.Lines() {
            @Override
            public boolean take(KernelTransition t, PrintWriter out) {
                Life l = lives.get(t.socketId());
                if (t.startsLife()) {
                    l = new Life();
                    l.startMono = t.monoNanos();
                    lives.put(t.socketId(), l);
                }
                if (l == null) return false;
                if (l.pid == null && t.pid() != null) {
                    l.pid = t.pid();
                    l.comm = t.comm();
                }
                if (!t.endsLife()) return false;
                lives.remove(t.socketId());
                if (!options.matches(t)) return false;
                print(out, t, l);
                return true;
            }

            @Override
            public void bound() {
                if (lives.size() > 1_000_000) lives.clear(); // a bound: lives in flight are dropped
            }

            @Override
            public String lost(long lost, long total) {
                return lost + " events lost: some lifetimes are missing";
            }
        });
    }

    private void print(PrintWriter out, KernelTransition end, Life l) {
        double ms = (end.monoNanos() - l.startMono) / 1e6;
        if (options.json) {
            ObjectNode n = SocketJson.MAPPER.createObjectNode();
            n.put("end", Instant.ofEpochMilli(end.atMillis()).toString());
            if (l.pid != null) n.put("pid", l.pid);
            else n.putNull("pid");
            n.put("comm", l.comm);
            n.put("local", end.key().local().toString());
            n.put("remote", end.key().remote().toString());
            n.put("txBytes", end.txBytes());
            n.put("rxBytes", end.rxBytes());
            n.put("ms", Math.round(ms * 1000) / 1000.0);
            n.put("lastState", end.from().name());
            out.println(n.toString());
        } else {
            out.printf(Locale.ROOT, "%-12s %7s %-15s %-41s %-41s %10.1f %10.1f %12.3f%n",
                    EventsCommand.TIME.format(Instant.ofEpochMilli(end.atMillis())), l.pid == null ? "-" : l.pid.toString(),
                    l.comm == null ? "-" : l.comm, end.key().local(), end.key().remote(), end.txBytes() / 1024.0,
                    end.rxBytes() / 1024.0, ms);
        }
    }
}
