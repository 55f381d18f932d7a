package io.tcplens.cli;

import io.tcplens.common.Ports;
import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.act.CloseConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "close", mixinStandardHelpOptions = true,
        description = {"Closes one TCP connection, as `ss -K` does (the peer gets a RST, the owner's next call fails).",
                "It is named by its full 4-tuple as the table prints it, e.g. `tcplens close 127.0.0.1:40492 127.0.0.1:5000`, "
                        + "and closed through sock_diag SOCK_DESTROY after asking (unless --yes). It needs CAP_NET_ADMIN and a kernel "
                        + "with CONFIG_INET_DIAG_DESTROY; not on replays, simulated or SSH sources.",
                "Exit status: 0 closed, 1 refused or failed, 3 no such connection."})
public final class CloseCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Parameters(index = "0", paramLabel = "LOCAL", description = "Local end: ADDRESS:PORT, or [IPv6]:PORT.")
    String local;

    @Parameters(index = "1", paramLabel = "REMOTE", description = "Remote end: ADDRESS:PORT, or [IPv6]:PORT.")
    String remote;

    @Option(names = {"-y", "--yes"}, description = "Close without asking.")
    boolean yes;

    @Option(names = "--print-command", description = "Only print the equivalent ss -K command; close nothing.")
    boolean printCommand;

    @Spec CommandSpec spec;

    private static final ResourceBundle TEXT = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ROOT);

    @Override
    public Integer call() throws SourceException, IOException {
        Endpoint l = parse(local), r = parse(remote);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Snapshot s;
        try (SocketTableSource src = source.open()) {
            s = src.poll();
        }
        List<SocketEntry> rows = s.sockets().stream().filter(e -> matches(e.local(), l) && matches(e.remote(), r)).toList();
        if (rows.isEmpty()) {
            err.println("tcplens: no connection " + l + " -> " + r + " in " + s.source().label());
            return 3;
        }
        SocketEntry e = rows.get(0);
        String what = e.local() + " -> " + e.remote() + " (" + e.state().name()
                + (e.pid() != null ? ", " + e.process() + " " + e.pid() : "") + (e.hasCookie() ? ", sk:" + e.cookieHex() : "") + ")";
        if (printCommand) {
            out.println(CloseConnection.command(s.source(), e));
            return 0;
        }
        Optional<String> no = CloseConnection.refusal(s.source(), e);
        if (no.isPresent()) {
            err.println("tcplens: " + text(no.get(), what, ""));
            return 1;
        }
        if (!yes) {
            if (System.console() == null) {
                err.println("tcplens: not closing " + what + " without confirmation: add --yes (stdin is not a terminal)");
                return 1;
            }
            out.println(text("close.effect", what, ""));
            out.print(text("close.confirm", what, "") + " [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("Not closed.");
                return 1;
            }
        }
        CloseConnection.Outcome o = CloseConnection.close(s.source(), e);
        (o.closed() ? out : err).println((o.closed() ? "" : "tcplens: ") + text(o.messageKey(), what, o.detail()));
        return o.closed() ? 0 : 1;
    }

    static String text(String key, String what, String detail) {
        return MessageFormat.format(TEXT.getString(key), what, detail);
    }

    /** Whether a row's end is the one typed: address and port; the zone too when one was typed. */
    private static boolean matches(Endpoint row, Endpoint typed) {
        return row.port() == typed.port() && row.address().equals(typed.address())
                && (typed.ifName() == null || typed.ifName().equals(row.ifName()) || typed.ifName().equals(Integer.toString(row.ifIndex())));
    }

    /** ADDRESS:PORT or [IPv6%zone]:PORT; literals only, never a name lookup. */
    static Endpoint parse(String text) {
        String t = text.strip();
        String host, port;
        if (t.startsWith("[")) {
            int close = t.indexOf("]:");
            if (close < 0) throw new CliException("not an endpoint (use [IPv6]:PORT): '" + t + "'");
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon < 0 || t.indexOf(':') != colon) throw new CliException("not an endpoint (use ADDRESS:PORT or [IPv6]:PORT): '" + t + "'");
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        String zone = null;
        int pct = host.indexOf('%');
        if (pct >= 0) {
            zone = host.substring(pct + 1);
            host = host.substring(0, pct);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new CliException("not a port: '" + port + "'");
        }
        if (!Ports.isPort(p)) throw new CliException("port out of range: " + p);
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new CliException("not an IP address: '" + host + "'");
        }
        // a v4-mapped literal is how the table shows IPv4 (see the JSON contract)
        if (a instanceof Inet6Address && isMapped(a.getAddress()))
            a = Addresses.fromBytes(Arrays.copyOfRange(a.getAddress(), 12, 16));
        return zone == null ? new Endpoint(a, p) : new Endpoint(a, p, 1, zone);
    }

    private static boolean isMapped(byte[] b) {
        if (b.length != 16) return false;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
