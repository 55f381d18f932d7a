package io.tcplens.export.firewall;

import io.tcplens.source.MachineFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * The safety exclusions of a machine that is not this one (a server over SSH, a namespace): its
 * own addresses, its default gateways and DNS servers from its own files, and — most important —
 * the address this workstation reaches it from as the server sees it, so no exported rule can
 * lock the operator out of the server the rules are for.
 */
public final class RemoteMachineAddresses {
    private RemoteMachineAddresses() {}

    public static List<ProtectedNetwork> read(MachineFacts facts) {
        List<ProtectedNetwork> out = new ArrayList<>();
        String on = "on " + facts.factsOrigin();
        for (String a : facts.ownAddresses()) {
            try {
                out.add(new ProtectedNetwork(StrictAddresses.parse(a), ExclusionReason.OWN_ADDRESS, on));
            } catch (InvalidAddressException e) {
                // a line that is not an address (an interface without one): nothing to protect
            }
        }
        out.addAll(MachineAddresses.defaultGateways(facts.procRoot()));
        facts.resolvConf().ifPresent(r -> out.addAll(MachineAddresses.dnsServers(r)));
        facts.operatorAddress().ifPresent(a -> {
            try {
                out.add(new ProtectedNetwork(StrictAddresses.parse(a), ExclusionReason.SSH_PEER,
                        "this workstation as " + facts.factsOrigin() + " sees it (SSH_CONNECTION there)"));
            } catch (InvalidAddressException e) {
                // unparsable SSH_CONNECTION: the built-in rules still apply
            }
        });
        return out;
    }
}
