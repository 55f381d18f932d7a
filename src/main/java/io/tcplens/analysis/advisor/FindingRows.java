package io.tcplens.analysis.advisor;

import io.tcplens.analysis.ports.Destination;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which rows of the table a finding is about, from its rule and subject (the part of its id after
 * '|'): a CLOSE_WAIT finding is about its owner's CLOSE_WAIT sockets, a port-exhaustion finding about
 * the sockets toward its destination, and so on. Findings about settings alone have no rows.
 *
 * @param state   the state the rows are in (null: several)
 * @param remote  the remote address the rows share, as text (null: several)
 * @param matches which sockets belong
 */
public record FindingRows(TcpState state, String remote, Predicate<SocketEntry> matches) {

    /** The rows of a finding, or empty for a finding about settings only. */
    public static Optional<FindingRows> of(Finding f) {
        int bar = f.id().indexOf('|');
        String subject = bar < 0 ? null : f.id().substring(bar + 1);
        return switch (f.rule()) {
            case CloseWaitRule.ID -> Optional.of(new FindingRows(TcpState.CLOSE_WAIT, null,
                    e -> e.state() == TcpState.CLOSE_WAIT && RuleSupport.ownerKey(e).equals(subject)));
            case SynRecvRule.ID -> Optional.of(new FindingRows(TcpState.SYN_RECV, null, e -> e.state() == TcpState.SYN_RECV));
            case FinWait2OrphansRule.ID -> Optional.of(new FindingRows(TcpState.FIN_WAIT2, null,
                    e -> e.state() == TcpState.FIN_WAIT2 && RuleSupport.isOrphan(e)));
            case TimeWaitSideRule.ID, TimeWaitCapRule.ID -> Optional.of(new FindingRows(TcpState.TIME_WAIT, null,
                    e -> e.state() == TcpState.TIME_WAIT));
            case PortExhaustionRule.ID -> subject == null ? Optional.empty() : Optional.of(new FindingRows(null,
                    remoteOf(subject), e -> e.state() != TcpState.LISTEN && Destination.of(e).toString().equals(subject)));
            default -> Optional.empty();
        };
    }

    /** The keys of the sockets this finding is about, in table order of the snapshot. */
    public List<ConnectionKey> keys(List<SocketEntry> sockets) {
        List<ConnectionKey> out = new ArrayList<>();
        for (SocketEntry e : sockets) if (matches.test(e)) out.add(e.key());
        return out;
    }

    /** "10.0.0.1 → 203.0.113.5:443" → "203.0.113.5" (IPv6: "[2001:db8::1]:443" → "2001:db8::1"). */
    private static String remoteOf(String destination) {
        String remote = destination.substring(destination.indexOf('→') + 1).trim();
        int colon = remote.lastIndexOf(':');
        String host = colon < 0 ? remote : remote.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return host;
    }
}
