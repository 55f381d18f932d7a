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
 * the refresh interval (or a first poll that is taking long), and a refresh that was slowed down
 * because polls take longer than the interval. Hidden (and taking no space) when all is well.
 */
public final class StaleBanner extends VBox {
    private static final String CSS = Objects.requireNonNull(StaleBanner.class.getResource("/io/tcplens/ui/shell/banner.css")).toExternalForm();
    private static final PseudoClass SHOWN = PseudoClass.getPseudoClass("shown");

    private final ResourceBundle b;
    private final Label stale = new Label();
    private final Label backoff = new Label();
    private RemoteLink link;

    public StaleBanner(ResourceBundle b) {
        this.b = b;
        getStylesheets().add(CSS);
        getStyleClass().add("stale-banner");
        stale.getStyleClass().addAll("banner-line", "banner-stale");
        backoff.getStyleClass().addAll("banner-line", "banner-backoff");
        for (Label l : new Label[] {stale, backoff}) {
            l.setWrapText(true);
            l.setMaxWidth(Double.MAX_VALUE);
            l.managedProperty().bind(l.visibleProperty());
            l.setVisible(false);
        }
        stale.setId("stale-banner");
        backoff.setId("backoff-banner");
        getChildren().addAll(stale, backoff);
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
        String staleText = null;
        if (ageMillis < 0) {
            if (waitingMillis > Math.max(3_000, 2 * intervalMillis))
                staleText = MessageFormat.format(b.getString("banner.firstPollSlow"), seconds(waitingMillis));
        } else if (linkDown && isStale(ageMillis, judgeBy)) {
            staleText = MessageFormat.format(b.getString("banner.staleLinkDown"), seconds(ageMillis), l.host(),
                    failing ? error : b.getString("banner.linkDownReconnecting"));
        } else if (isStale(ageMillis, judgeBy)) {
            staleText = failing
                    ? MessageFormat.format(b.getString("banner.staleError"), seconds(ageMillis), error)
                    : MessageFormat.format(b.getString("banner.stale"), seconds(ageMillis), RefreshBackoff.format(intervalMillis));
        }
        set(stale, staleText);
        String backoffText = backoff != null && backoff.backedOff() && !failing && !linkDown
                ? MessageFormat.format(b.getString("banner.backoff"), pollTime(backoff.slowestPollMillis(), backoff.requestedMillis()),
                        RefreshBackoff.format(backoff.requestedMillis()), RefreshBackoff.format(backoff.effectiveMillis()))
                : null;
        set(this.backoff, backoffText);
        boolean any = staleText != null || backoffText != null;
        setVisible(any);
        pseudoClassStateChanged(SHOWN, any);
    }

    /** Age of the data as the banner judges it: live data by its snapshot time, recordings by when the poll arrived. */
    public static long age(SourceInfo.Kind kind, long snapshotMillis, long receivedMillis, long nowMillis) {
        boolean ownClock = kind == SourceInfo.Kind.REPLAY || kind == SourceInfo.Kind.SIMULATED;
        return nowMillis - (ownClock ? receivedMillis : snapshotMillis);
    }

    private static void set(Label l, String text) {
        l.setText(text == null ? "" : text);
        l.setVisible(text != null);
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

    public boolean staleShown() {
        return isVisible() && stale.isVisible();
    }

    public boolean backoffShown() {
        return isVisible() && backoff.isVisible();
    }

    public String staleText() {
        return stale.getText();
    }

    public String backoffText() {
        return backoff.getText();
    }
}
