package io.tcplens.cli;

import io.tcplens.common.Ports;
import inet.ipaddr.IPAddress;
import io.tcplens.analysis.remote.Grouping;
import io.tcplens.analysis.remote.RemoteHostRow;
import io.tcplens.analysis.remote.RemoteHostTable;
import io.tcplens.analysis.remote.RemoteQuery;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.export.firewall.BlockPlan;
import io.tcplens.export.firewall.Exclusion;
import io.tcplens.export.firewall.ExportHeader;
import io.tcplens.export.firewall.FirewallFormat;
import io.tcplens.export.firewall.InvalidAddressException;
import io.tcplens.export.firewall.RuleFiles;
import io.tcplens.export.firewall.SafetyRules;
import io.tcplens.export.firewall.StrictAddresses;
import io.tcplens.io.SafeFiles;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.tcplens.export.firewall.BlockTimeout;
import io.tcplens.export.firewall.RemoteMachineAddresses;
import io.tcplens.source.MachineFacts;
import java.time.Duration;

/**
 * {@code tcplens export-rules}: block rules for chosen remotes, in one firewall's format, with the
 * same safety rules as the window (loopback, link-local, multicast, unspecified, this machine's
 * addresses and gateway, the allowlist are never blocked unless {@code --force}).
 */
@Command(name = "export-rules", mixinStandardHelpOptions = true,
        description = {"Writes firewall rules that block chosen remote addresses, with a header and an undo section.",
                "Remotes come from the live table (--port/--state/--min) and/or --ip. Loopback, link-local, multicast and "
                        + "unspecified addresses, this machine's own addresses, default gateway and DNS servers, the SSH client "
                        + "of this session and the allowlist (the window's, plus --allow) are left out, each listed with its "
                        + "reason, unless --force is given. Addresses are parsed strictly; no DNS."},
        footer = {"", "Example: remotes with at least 20 SYN_RECV connections on local port 80, as nftables:",
                "  tcplens export-rules --format nft --port 80 --state SYN_RECV --min 20"})
public final class ExportRulesCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "nft, iptables, ipset, ufw, firewalld, powershell, netsh or pf.")
    String format;

    @Option(names = "--port", paramLabel = "P", description = "Only connections to local port P (e.g. 80).")
    Integer port;

    @Option(names = "--state", paramLabel = "S", description = "Count only connections in state S (e.g. SYN_RECV, ESTABLISHED).")
    String state;

    @Option(names = "--min", paramLabel = "N", description = "Only remotes with at least N such connections.")
    Integer min;

    @Option(names = "--per-network", description = "Group remotes per /24 (IPv4) and /64 (IPv6) network and block whole networks.")
    boolean perNetwork;

    @Option(names = "--ip", paramLabel = "ADDRESS_OR_CIDR", description = "Also block this address or network (repeatable).")
    List<String> ips = new ArrayList<>();

    @Option(names = "--allow", paramLabel = "CIDR",
            description = "Never block this address or network (repeatable); adds to the allowlist remembered by the window, for this run.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--force", description = "Include addresses the safety rules would leave out (they are listed as forced).")
    boolean force;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Let blocked entries expire after DURATION (e.g. 30m, 1h, 7d); nft and ipset only.")
    String timeout;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (atomically) instead of standard output.")
    Path output;

    @Option(names = "--overwrite", description = "Replace FILE if it exists (otherwise an existing file is never touched).")
    boolean overwrite;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        FirewallFormat fmt = FirewallFormat.byId(format).orElseThrow(() -> new CliException(
                "unknown format '" + format + "' (choose " + FirewallFormat.ids() + ")"));
        if (port != null && !Ports.isPort(port)) throw new CliException("port out of range: " + port);
        if (min != null && min < 1) throw new CliException("--min must be at least 1: " + min);
        TcpState st = state == null ? null : TcpState.parse(state).orElseThrow(() -> new CliException(
                "unknown state '" + state + "' (try SYN_RECV, ESTABLISHED, TIME_WAIT, CLOSE_WAIT, …)"));
        if (st == TcpState.LISTEN) throw new CliException("LISTEN sockets have no remote address; choose another --state");
        Duration expiry = null;
        if (timeout != null) {
            try {
                expiry = BlockTimeout.parse(timeout);
            } catch (InvalidAddressException e) {
                throw new CliException(e.getMessage());
            }
            if (!fmt.supportsTimeout())
                throw new CliException("--timeout works with --format nft or ipset only (" + fmt.displayName() + " rules cannot expire)");
        }
        List<IPAddress> explicit = parseAll(ips);
        List<IPAddress> allowlist = new ArrayList<>(Allowlist.user().load());
        allowlist.addAll(parseAll(allow));
        boolean fromTable = port != null || st != null || min != null || perNetwork;
        if (!fromTable && explicit.isEmpty())
            throw new CliException("nothing chosen: give --ip ADDRESS, or pick remotes with --port, --state and --min");

        List<IPAddress> requested = new ArrayList<>(explicit);
        SafetyRules safety = null;
        String sourceLabel = "addresses given with --ip";
        String selection = explicit.isEmpty() ? "" : explicit.size() + " address(es) given with --ip";
        if (fromTable) {
            RemoteQuery q = new RemoteQuery(perNetwork ? Grouping.NETWORK : Grouping.ADDRESS, port, st, min == null ? 1 : min);
            Snapshot s;
            try (SocketTableSource src = source.open()) {
                s = src.poll();
                // a server over SSH or a namespace: its own addresses, gateways and the operator's address there
                if (src instanceof MachineFacts f)
                    safety = new SafetyRules(RemoteMachineAddresses.read(f), allowlist);
            } catch (SourceException e) {
                throw new CliException(e.getMessage(), 1);
            }
            Warnings.print(spec, s);
            List<RemoteHostRow> rows = RemoteHostTable.of(s, q).stream().filter(q::selects).toList();
            for (RemoteHostRow r : rows) requested.add(parse(r.cidr()));
            sourceLabel = s.source().label();
            selection = q.describe() + " (" + rows.size() + " found)" + (selection.isEmpty() ? "" : ", plus " + selection);
            if (rows.isEmpty() && explicit.isEmpty())
                throw new CliException("no remote matches: " + q.describe(), 1);
        }

        BlockPlan plan = BlockPlan.build(requested, safety != null ? safety : SafetyRules.forThisMachine(allowlist), force,
                ExportHeader.now(sourceLabel, selection), expiry);
        PrintWriter err = spec.commandLine().getErr();
        for (Exclusion e : plan.excluded()) err.println("tcplens: not blocked: " + e.explanation());
        for (Exclusion e : plan.forced()) err.println("tcplens: warning: forced: " + e.explanation());
        if (plan.isEmpty())
            throw new CliException("nothing to block: all " + plan.requested() + " chosen address(es) are excluded for safety "
                    + "(reasons above); use --force to override", 1);
        String text = fmt.generate(plan);
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            // a full disk or closed pipe: the script is cut short, so this run must not succeed
            if (out.checkError()) throw new CliException("standard output failed: the rules were not all written", 1);
        } else {
            try {
                RuleFiles.save(output, text, overwrite);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(output + " already exists; use --overwrite to replace it", 1);
            } catch (SafeFiles.NotRegularFileException e) {
                throw new CliException("will not write " + output + ": " + e.getReason(), 1);
            } catch (IOException e) {
                throw new CliException("cannot write " + output + ": " + SafeFiles.reason(e), 1);
            }
            err.println("tcplens: wrote " + plan.blocks().size() + " " + fmt.displayName() + " entr"
                    + (plan.blocks().size() == 1 ? "y" : "ies") + " to " + output);
        }
        return 0;
    }

    private static List<IPAddress> parseAll(List<String> texts) {
        List<IPAddress> out = new ArrayList<>();
        for (String t : texts) out.add(parse(t));
        return out;
    }

    private static IPAddress parse(String t) {
        try {
            return StrictAddresses.parse(t);
        } catch (InvalidAddressException e) {
            throw new CliException(e.getMessage());
        }
    }
}
