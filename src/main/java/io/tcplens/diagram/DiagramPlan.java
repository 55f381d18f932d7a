package io.tcplens.diagram;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.List;
import java.util.Map;

/**
 * Everything the diagram needs from one hand-over of polls, computed off the UI thread by
 * {@link TransitionPlanner}.
 *
 * @param moves       per-connection moves, in poll order (empty when aggregated)
 * @param resync      true when the token set must be rebuilt from {@code moves} (first poll, leaving
 *                    aggregation, or a repair): all earlier tokens are dropped first
 * @param aggregated  true when there are too many connections for tokens: draw counts and flows only
 * @param counts      connections per state (shown connections only, i.e. after the filter)
 * @param edgeRates   transitions per second per edge over the recent window, by edge index
 * @param connections the tracker's view after the last poll (for tooltips; unfiltered, read only)
 * @param source      where the data came from
 * @param atMillis    time of the last poll
 * @param total       connections shown
 * @param error       the source's error on the last poll, or null
 */
public record DiagramPlan(List<TokenMove> moves, boolean resync, boolean aggregated, Map<TcpState, Integer> counts,
                          double[] edgeRates, Map<ConnectionKey, TrackedConnection> connections, SourceInfo source,
                          long atMillis, int total, String error) {}
