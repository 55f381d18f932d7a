package io.tcplens.ui.shell;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.RemoteLink;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * The banner under the tiles that says when what is on screen is not current: data older than twice
 * the refresh interval in effect (or a first poll that is taking long), and a refresh that was slowed
 * down because polls take longer than the interval. One statement in one box, never two: how old the
 * data is, the interval in effect and why, and what happens next (last round's stale and back-off
 * boxes stacked and read "refresh every 1 s" beside "every 3 s"). Red while the data is stale, amber
 * while the refresh is only slowed down. Hidden (and taking no space) when all is well.
 */
public final class StaleBanner extends VBox {
    private static final String CSS = Objects.requireNonNull(StaleBanner.class.getResource("/io/tcplens/ui/shell/banner.css")).toExternalForm();
    private static final PseudoClass SHOWN = PseudoClass.getPseudoClass("shown");
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    private static final PseudoClass BACKOFF = PseudoClass.getPseudoClass("backoff");

    private final ResourceBundle b;
    /** The one line: the whole statement, red (stale) or amber (slowed down only). */
    private final Label line = new Label();
    private RemoteLink link;
    private boolean stale;
    private boolean backedOff;

    public StaleBanner(ResourceBundle b) {
        this.b = b;
        getStylesheets().add(CSS);
        getStyleClass().add("stale-banner");
        line.getStyleClass().add("banner-line");
        line.setWrapText(true);
        line.setMaxWidth(Double.MAX_VALUE);
        line.setId("stale-banner");
        getChildren().add(line);
        managedProperty().bind(visibleProperty());
        setVisible(false);
    }

    /**
     * The source now shown reads another machine over this link (ssh), or null. While the link is
     * down the banner says so, judges the age against the interval the user chose (a failing poll is
     * not a slow one: no back-off notice), and shows red, not amber.
     */
    public void setLink(RemoteLink link) {
        this.link = link;
    }

    /** Whether data of this age counts as stale for an interval (more than twice the interval). */
    public static boolean isStale(long ageMillis, long intervalMillis) {
        return ageMillis > 2 * intervalMillis;
    }

    /**
     * Recomputes the banner.
     *
     * @param ageMillis        how old the shown data is, or -1 when nothing has been shown yet
     * @param waitingMillis    with no data yet: how long the first poll has been running
     * @param intervalMillis   the interval polls really run at (after any back-off)
     * @param error            the last poll's error, or null
     * @param backoff          the back-off state, or null
     */
    public void update(long ageMillis, long waitingMillis, long intervalMillis, String error, RefreshBackoff backoff) {
        RemoteLink l = link;
        boolean linkDown = l != null && !l.connected() && ageMillis >= 0;
        boolean failing = error != null && !error.isBlank();
        // polls that fail are not slow polls: judge the age against the interval the person chose
        long judgeBy = failing && backoff != null ? Math.min(intervalMillis, backoff.requestedMillis()) : intervalMillis;
        // a slowed-down refresh is told only for slow polls, not failing ones or a link that is down
        boolean slowed = backoff != null && backoff.backedOff() && !failing && !linkDown;
        boolean old = ageMillis >= 0 && isStale(ageMillis, judgeBy);
        String text = null;
        if (ageMillis < 0) {
            if (waitingMillis > Math.max(3_000, 2 * intervalMillis)) {
                text = MessageFormat.format(b.getString("banner.firstPollSlow"), seconds(waitingMillis));
                old = true;
            }
        } else if (linkDown && old) {
            text = MessageFormat.format(b.getString("banner.staleLinkDown"), seconds(ageMillis), l.host(),
                    failing ? error : b.getString("banner.linkDownReconnecting"));
        } else if (failing && old) {
            text = MessageFormat.format(b.getString("banner.staleError"), seconds(ageMillis), error);
        } else if (slowed) {
            // one statement: the interval in effect and why, the data's age, and what happens next
            String poll = pollTime(backoff.slowestPollMillis(), backoff.requestedMillis());
            String chosen = RefreshBackoff.format(backoff.requestedMillis());
            String inEffect = RefreshBackoff.format(intervalMillis);
            // raised: TcpLens's own polls cost too much CPU; else the polls' wall time on a busy machine
            boolean raised = backoff.intervalRaised();
            text = old
                    ? MessageFormat.format(b.getString(raised ? "banner.staleBackoff" : "banner.staleBusy"), seconds(ageMillis), poll, chosen, inEffect)
                    // not stale: the age in whole seconds, as the status bar says it (a text that changes
                    // once a second, not at every tick of the ticker)
                    : MessageFormat.format(b.getString(raised ? "banner.backoff" : "banner.busy"), StatusBar.wholeSeconds(ageMillis), poll, chosen, inEffect,
                            pollTime(backoff.lastCpuMillis(), backoff.requestedMillis()));
        } else if (old) {
            text = MessageFormat.format(b.getString("banner.stale"), seconds(ageMillis), RefreshBackoff.format(intervalMillis));
        }
        stale = text != null && old;
        backedOff = text != null && slowed;
        if (text != null && !text.equals(line.getText())) line.setText(text);
        boolean any = text != null;
        if (any != isVisible()) setVisible(any);
        pseudoClassStateChanged(SHOWN, any);
        // red whenever the data is stale (whatever the reason), amber while the refresh is only slowed down
        line.pseudoClassStateChanged(STALE, stale);
        line.pseudoClassStateChanged(BACKOFF, any && !stale);
    }

    /** Age of the data as the banner judges it: live data by its snapshot time, recordings by when the poll arrived. */
    public static long age(SourceInfo.Kind kind, long snapshotMillis, long receivedMillis, long nowMillis) {
        boolean ownClock = kind == SourceInfo.Kind.REPLAY || kind == SourceInfo.Kind.SIMULATED;
        return nowMillis - (ownClock ? receivedMillis : snapshotMillis);
    }

    /**
     * A poll's time beside the interval it exceeded, never reading equal to it ("1.0 s, longer than the
     * 1 s interval" did): in ms below 10 s, else in seconds with one decimal.
     */
    static String pollTime(double pollMillis, long intervalMillis) {
        if (pollMillis < 10_000) return String.format(Locale.ROOT, "%,d ms", (long) Math.ceil(pollMillis));
        return String.format(Locale.ROOT, "%.1f s", pollMillis / 1000.0);
    }

    /**
     * In tenths (unlike the status bar's age, in whole seconds): the banner says the data is older than twice
     * the interval, which below a second only tenths show (stale at 1.2 s for a 500 ms refresh is not "1 s
     * old"); it is shown only while the data is stale, when a pulse per change matters little.
     */
    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    /** Whether the banner is shown and says the data is stale (red). */
    public boolean staleShown() {
        return isVisible() && stale;
    }

    /** Whether the banner is shown and says the refresh is slowed down (amber, or red when the data is stale too). */
    public boolean backoffShown() {
        return isVisible() && backedOff;
    }

    /** What the banner says, or "" when it is hidden. */
    public String text() {
        return isVisible() ? line.getText() : "";
    }

    /** The banner's text while it says the data is stale, else "". */
    public String staleText() {
        return staleShown() ? line.getText() : "";
    }

    /** The banner's text while it says the refresh is slowed down, else "". */
    public String backoffText() {
        return backoffShown() ? line.getText() : "";
    }
}
