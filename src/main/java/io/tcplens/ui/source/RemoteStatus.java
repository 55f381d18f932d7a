package io.tcplens.ui.source;

import io.tcplens.source.RemoteLink;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

/**
 * The status bar's word on a remote source's link (issue 16): "SSH round trip 3.2 ms · HOST",
 * measured at every poll. When the link is down, or the figure is older than twice the refresh
 * interval, the last figure stays, with its age, marked stale (and styled as a warning). Hidden
 * for sources on this machine.
 */
public final class RemoteStatus extends Label {
    private final ResourceBundle bundle;
    private RemoteLink link;
    private boolean stale;

    public RemoteStatus(ResourceBundle bundle) {
        this.bundle = bundle;
        setId("status-remote");
        getStyleClass().add("status-remote");
        // it may shorten on a narrow window (what matters comes first: "Stale, not connected", the
        // figure, then the host, which the header's badge also names), never push the status bar, and
        // with it the whole window, wider than the screen
        setMinWidth(160);
        setTextOverrun(OverrunStyle.ELLIPSIS);
        textProperty().addListener((o, a, n) -> getTooltip().setText(n + "\n\n" + bundle.getString("status.rtt.tip")));
        setTooltip(new Tooltip(bundle.getString("status.rtt.tip")));
        show(null);
    }

    /** The source now shown: a remote link, or null (then this label is hidden). */
    public void show(RemoteLink link) {
        this.link = link;
        setVisible(link != null);
        setManaged(link != null);
        if (link == null) setText("");
    }

    /** Whether the figure shown is marked stale. */
    public boolean isStale() {
        return stale;
    }

    /** Refreshes the text at {@code nowMillis}; {@code intervalMillis} is the refresh interval in force. */
    public void update(long nowMillis, long intervalMillis) {
        RemoteLink l = link;
        if (l == null) return;
        double rtt = l.roundTripMillis();
        String host = l.host();
        boolean nowStale;
        if (rtt < 0) {
            nowStale = !l.connected();
            setText(MessageFormat.format(bundle.getString(nowStale ? "status.rtt.down" : "status.rtt.none"), host));
        } else {
            long age = Math.max(0, nowMillis - l.roundTripAtMillis());
            nowStale = !l.connected() || age > 2 * Math.max(intervalMillis, 500);
            String ms = String.format(Locale.ROOT, rtt < 10 ? "%.1f" : "%.0f", rtt);
            setText(nowStale
                    ? MessageFormat.format(bundle.getString(l.connected() ? "status.rtt.stale" : "status.rtt.staleDown"), host, ms,
                            String.format(Locale.ROOT, "%.0f", age / 1000.0))
                    : MessageFormat.format(bundle.getString("status.rtt"), host, ms));
        }
        if (nowStale != stale) {
            stale = nowStale;
            if (stale) getStyleClass().add("stale");
            else getStyleClass().remove("stale");
        }
    }
}
