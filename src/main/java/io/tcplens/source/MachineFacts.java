package io.tcplens.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The facts of the machine a source shows, when that is not the machine TcpLens runs on (a remote
 * server, another network namespace): its sysctls, its counters, its routes and addresses. A
 * source that implements this is asked for them by the analyses (port range, TIME_WAIT advice)
 * and the firewall export's safety exclusions instead of this machine's /proc.
 *
 * <p>The files are mirrored into a local directory laid out like the real one, so the readers that
 * take a root ({@code LinuxPortRangeReader}, {@code SysctlReader}, {@code NetstatCounters},
 * {@code MachineAddresses.defaultGateways}) read them unchanged.
 */
public interface MachineFacts {
    /** Where the facts are from, for labels: "host db1.example.com" or "network namespace 'blue'". */
    String factsOrigin();

    /** A tree laid out like /proc/sys (net/ipv4/…, net/core/…). */
    Path sysctlRoot();

    /** A tree laid out like /proc (net/netstat, net/route, net/ipv6_route), refreshed as the source polls. */
    Path procRoot();

    /** The machine's resolv.conf, when it has one. */
    Optional<Path> resolvConf();

    /** The machine's own addresses (text, no prefix), for the export's exclusions. */
    List<String> ownAddresses();

    /**
     * The address this workstation reaches the machine from, as the machine sees it (for SSH the
     * client address of {@code SSH_CONNECTION} on the server): an export must never block it.
     */
    Optional<String> operatorAddress();
}
