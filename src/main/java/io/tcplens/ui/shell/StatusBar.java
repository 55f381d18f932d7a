package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.RemoteLink;
import io.tcplens.ui.source.RemoteStatus;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The status bar: source, socket count, poll and hand-over cost, the SSH round trip of a remote
 * source, the data's age (or, for a recording, when it is from), the last problem, and on the right
 * the alerts, Record and Save buttons of the incident recorder.
 */
final class StatusBar {
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ResourceBundle bundle;
    private final Label source = new Label();
    private final Label sockets = SteadyText.label(null); // these change at every poll or second: they keep their text node (SteadyText)
    private final Label cost = SteadyText.label(null);
    private final Label age = SteadyText.label(null);
    private final Label error = new Label();
    /** SSH round trip of a remote source, stale-marked (issue 16); hidden for local sources. */
    private final RemoteStatus remote;
    private final HBox bar;
    /** Problems of at most this many characters are never shortened. */
    private static final int SHORT_NOTE = 40;

    StatusBar(ResourceBundle bundle, IncidentControls incident) {
        this.bundle = bundle;
        this.remote = new RemoteStatus(bundle);
        error.getStyleClass().add("status-error");
        for (Label l : List.of(source, sockets, cost, age)) l.setMinWidth(Region.USE_PREF_SIZE);
        error.setMinWidth(0);
        source.setMinWidth(60);
        source.getStyleClass().add("status-source"); // the badge and the Source box name it too: on a narrow window it shortens first
        HBox.setHgrow(error, Priority.ALWAYS);
        error.setMaxWidth(Double.MAX_VALUE);
        // tooltips are made when the pointer first enters their label (issue 13)
        LazyTooltip errorTip = LazyTooltip.install(error, "");
        error.textProperty().addListener((o, a, n) -> {
            errorTip.setText(n);
            // a short note (the first poll's) is read whole, the source's label gives way to it; a long
            // problem shortens, and its tooltip has it all
            error.setMinWidth(n != null && n.length() <= SHORT_NOTE ? Region.USE_PREF_SIZE : 0);
        });
        // the source's label may shorten (the header's badge and the tooltip carry it): room for the recorder and alerts
        LazyTooltip.install(source, "").textProperty().bind(source.textProperty());
        HBox incidentBox = new HBox(6, incident.alertsButton(), incident.recordButton(), incident.saveButton());
        incidentBox.setAlignment(Pos.CENTER_RIGHT);
        for (ButtonBase bb : List.of(incident.alertsButton(), incident.recordButton(), incident.saveButton())) {
            bb.getStyleClass().addAll("small", "incident-button");
            bb.setMinWidth(Region.USE_PREF_SIZE);
        }
        incidentBox.setMinWidth(Region.USE_PREF_SIZE);
        bar = new HBox(source, sockets, cost, remote, age, error, incidentBox);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
    }

    Node node() {
        return bar;
    }

    /** Source, socket count, cost and problems, joined with " | " (tests). */
    String text() {
        return String.join(" | ", source.getText(), sockets.getText(), cost.getText(), error.getText());
    }

    /** The data's age as shown (tests). */
    String ageText() {
        return age.getText();
    }

    RemoteStatus remoteStatus() {
        return remote;
    }

    /** The source shown, and the kernel events' state when they apply to it (null when not). */
    void showSource(SourceInfo info, String eventsStatus) {
        source.setText(MessageFormat.format(bundle.getString("status.source"), info.label())
                + (eventsStatus != null ? " · " + eventsStatus : ""));
    }

    /** A new source: its round trip when it is remote, and no problem yet. */
    void sourceStarted(RemoteLink link) {
        remote.show(link);
        error.setText("");
    }

    void sourceFailed(String message) {
        error.setText(MessageFormat.format(bundle.getString("status.sourceError"), message));
    }

    /** A poll the views have shown, and what the hand-over to them cost. */
    void showPoll(PollResult r, double dispatchMillis) {
        sockets.setText(MessageFormat.format(bundle.getString("status.sockets"), r.snapshot().sockets().size()));
        // the hand-over's cost is known from the second frame on: before it, the poll's cost alone (never "NaN")
        cost.setText(Double.isFinite(dispatchMillis)
                ? String.format(Locale.ROOT, bundle.getString("status.cost"), r.pollMillis(), dispatchMillis)
                : String.format(Locale.ROOT, bundle.getString("status.cost.pollOnly"), r.pollMillis()));
        List<String> problems = new ArrayList<>();
        if (r.error() != null) problems.add(r.error());
        // the engine's first-poll note, in the window's words and short enough to be read whole at 1024 px
        for (String w : r.snapshot().warnings())
            problems.add(w.equals(PollingEngine.OWNERS_NEXT_POLL) ? bundle.getString("status.ownersNextPoll") : w);
        error.setText(String.join(" · ", problems));
    }

    /** The shown data's age (or, for a recording, when it is from) and the SSH round trip's. */
    void showAge(PollResult r, long nowMillis, long intervalMillis) {
        remote.update(nowMillis, intervalMillis);
        if (r == null) {
            age.setText(bundle.getString("status.waiting"));
            return;
        }
        SourceInfo.Kind kind = r.snapshot().source().kind();
        if (kind == SourceInfo.Kind.REPLAY || kind == SourceInfo.Kind.SIMULATED) {
            // a recording's clock is not now: show when the data is from, not an age
            age.setText(MessageFormat.format(bundle.getString("status.dataFrom"),
                    DATA_TIME.format(Instant.ofEpochMilli(r.snapshot().timestampMillis()))));
            return;
        }
        // in whole seconds (rounded down, never younger than it is): the ticker asks twice a second, and
        // the text, so the window's layout and render, changes at most once a second (in tenths each tick
        // pulsed a full layout and render, issue 11); a text equal to the shown one changes nothing
        long ageMillis = Math.max(0, nowMillis - r.snapshot().timestampMillis());
        String text = MessageFormat.format(bundle.getString("status.age"), wholeSeconds(ageMillis));
        if (!text.equals(age.getText())) age.setText(text);
    }

    /** An age in whole seconds, rounded down ("0" below a second). */
    static String wholeSeconds(long millis) {
        return Long.toString(Math.max(0, millis) / 1000);
    }
}
