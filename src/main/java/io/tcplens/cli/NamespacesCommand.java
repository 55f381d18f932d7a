package io.tcplens.cli;

import io.tcplens.source.netns.NamespaceList;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tcplens namespaces}: the network namespaces --netns can read, as the window's picker lists them. */
@Command(name = "namespaces", mixinStandardHelpOptions = true,
        header = "Lists this machine's network namespaces (Linux).",
        description = "Lists this machine's network namespaces (Linux): the --netns value, processes, TCP sockets, "
                + "and a container's name where its cgroup path or /etc/hostname gives one. Root sees them all.")
public final class NamespacesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<NamespaceList.Namespace> list = NamespaceList.scan();
        if (list.isEmpty()) throw new CliException("no network namespaces readable here (not Linux, or /proc hidden)", 1);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-28s %8s  %-24s %s%n", "--netns", "sockets", "container", "processes");
        for (NamespaceList.Namespace n : list) {
            String spec = n.current() ? "(this one)" : n.spec();
            String procs = n.processes().isEmpty() ? "-" : String.join(", ", n.processes())
                    + (n.pids().size() > n.processes().size() ? " (" + n.pids().size() + " processes)" : "");
            out.printf("%-28s %8s  %-24s %s%n", spec, n.tcpSockets() < 0 ? "?" : Integer.toString(n.tcpSockets()),
                    n.container() == null ? "-" : n.container(), procs);
        }
        out.flush();
        return 0;
    }
}
