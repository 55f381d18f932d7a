package io.tcplens.diagram;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.List;

/**
 * What happened to one connection in one poll, as the diagram will animate it.
 *
 * @param kind  appear (already there when we started looking: no animation), enter (new: walks
 *              {@code path} from its origin), move (walks {@code path}), leave (gone: walks {@code path}
 *              to CLOSED, then fades)
 * @param key   the connection
 * @param entry its latest row (for leave: the last row seen)
 * @param origin where the token starts: its state for appear, the path's first state otherwise
 * @param path  edges to walk, possibly empty
 */
public record TokenMove(Kind kind, ConnectionKey key, SocketEntry entry, TcpState origin, List<EdgeStep> path) {
    public enum Kind { APPEAR, ENTER, MOVE, LEAVE }

    public TokenMove {
        path = List.copyOf(path);
    }

    /** The state the token ends in (CLOSED for leave). */
    public TcpState target() {
        return path.isEmpty() ? origin : path.get(path.size() - 1).to();
    }
}
