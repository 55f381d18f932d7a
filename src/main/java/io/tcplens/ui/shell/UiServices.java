package io.tcplens.ui.shell;

import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.lab.Lab;
import io.tcplens.model.SocketEntry;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The services views use, built once by the composition root ({@code io.tcplens.app}) and handed to
 * every view through {@link ShellContext#services()}; views never construct them.
 *
 * @param lab        the window's lab (the lab view drives it; the engine tags its sockets through labSockets)
 * @param advisor    a new advisor reading this machine's settings (each view that advises keeps its own history)
 * @param portRange  reads the ephemeral port range
 * @param allowlist  the user's firewall-export allowlist
 * @param labSockets which sockets the running lab owns (the engine tags them)
 * @param background where views run slow work that is not a hand-over (files, external tools)
 */
public record UiServices(Lab lab, Supplier<Advisor> advisor, PortRangeReader portRange, Allowlist allowlist,
                         Predicate<SocketEntry> labSockets, Executor background) {}
