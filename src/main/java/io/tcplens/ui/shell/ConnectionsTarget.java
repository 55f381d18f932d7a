package io.tcplens.ui.shell;

import io.tcplens.engine.PollingEngine;
import io.tcplens.model.TcpState;
import io.tcplens.source.TcpInfoDemand;

/**
 * The connections table as the shell sees it: navigation from tiles and other views lands here, and
 * the window's pause key drives it. Implemented by the table's view; the shell never names it.
 */
public interface ConnectionsTarget {
    String VIEW_ID = "connections";

    /** Shows only this state (null clears the state filter). */
    void setStateFilter(TcpState state);

    /** Shows only this remote address (text form) or CIDR ("" clears). */
    void setRemoteFilter(String addressOrCidr);

    boolean isPaused();

    void setPaused(boolean paused);

    /** Puts the keyboard in the search field (Ctrl+F from any tab), its text selected. */
    void focusSearch();

    /**
     * Whether the table shows a traffic column now (Sent, Received, rates, RTT…), so the engine asks
     * the kernel for tcp_info (see PollingEngine#addTcpInfoConsumer). Called on the poller thread.
     */
    default boolean trafficShown() {
        return true;
    }

    /**
     * Which connections' tcp_info the poll with this sequence must carry (see
     * PollingEngine#addTcpInfoDemand): by default all of them while a traffic column is shown. Called on
     * the poller thread.
     */
    default TcpInfoDemand tcpInfoDemand(long sequence) {
        return trafficShown() ? TcpInfoDemand.ALL : TcpInfoDemand.NONE;
    }

    /**
     * The engine now polling for the window (a new source starts a new one): the table asks it for a poll at
     * once when a traffic sort needs every row's counters, and for exact lookups of rows out of view (a copy,
     * a paused export). FX thread.
     */
    default void engineStarted(PollingEngine engine) {}
}
