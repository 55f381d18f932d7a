package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.export.SocketJson;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.source.events.BpftraceEvents;
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
        options.check();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (BpftraceEvents feed = options.open()) {
            err.println("tcplens: " + feed.status());
            err.flush();
            if (!options.json)
                out.printf(Locale.ROOT, "%-12s %7s %-15s %-41s %-41s %10s %10s %12s%n", "END", "PID", "COMM", "LOCAL", "REMOTE",
                        "TX_KB", "RX_KB", "MS");
            Map<Long, Life> lives = new HashMap<>();
            long shown = 0;
            while (feed.on()) {
                long now = System.nanoTime();
                feed.awaitCaughtUp(now, 250);
                EventBatch b = feed.drain(now);
                if (b.lost() > 0) {
                    err.println("tcplens: warning: " + b.lost() + " events lost: some lifetimes are missing");
                    err.flush();
                }
                for (KernelTransition t : b.transitions()) {
                    Life l = lives.get(t.socketId());
                    if (t.startsLife()) {
                        l = new Life();
                        l.startMono = t.monoNanos();
                        lives.put(t.socketId(), l);
                    }
                    if (l == null) continue;
                    if (l.pid == null && t.pid() != null) {
                        l.pid = t.pid();
                        l.comm = t.comm();
                    }
                    if (!t.endsLife()) continue;
                    lives.remove(t.socketId());
                    if (!options.matches(t)) continue;
                    print(out, t, l);
                    if (options.count != null && ++shown >= options.count) {
                        out.flush();
                        return out.checkError() ? 1 : 0;
                    }
                }
                out.flush();
                if (out.checkError()) return 1;
                if (lives.size() > 1_000_000) lives.clear(); // a bound: lives in flight are dropped
                Thread.sleep(100);
            }
            throw new CliException(feed.status(), 1);
        }
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
