package io.tcplens.ui.shell;

import io.tcplens.source.replay.Recording;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.source.replay.ReplayController;
import java.io.File;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * The replay controls shown above the views while the source is a recording: a large REPLAY marker,
 * play/pause, step back/forward, a seek slider, the speed, and the position on the recording's clock.
 */
public final class ReplayBar extends HBox implements Presentation.Target {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final List<Double> SPEEDS = List.of(0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0);

    private final ReplayController controller;
    private final ResourceBundle b;
    private final Button play = new Button();
    private final Slider slider = new Slider();
    private final ComboBox<Double> speed = new ComboBox<>();
    private final Label position = new Label();
    private final FxTicker ticker;
    private boolean updating;

    public ReplayBar(ReplayController controller, ResourceBundle bundle) {
        this.controller = controller;
        this.b = bundle;
        getStyleClass().add("replay-bar");
        getStylesheets().add(Presentation.CSS);
        Recording r = controller.recording();
        Label marker = new Label(b.getString("replay.marker"));
        marker.getStyleClass().add("replay-marker");
        marker.setId("replay-marker");
        Label file = new Label(r.file().getFileName().toString());
        file.getStyleClass().add("lab-heading");
        Button back = new Button(b.getString("replay.back"));
        back.setOnAction(e -> stepBack());
        Button fwd = new Button(b.getString("replay.forward"));
        fwd.setOnAction(e -> step());
        play.setOnAction(e -> togglePlay());
        slider.setMin(0);
        slider.setMax(Math.max(1, r.durationMillis()));
        slider.setMinWidth(200);
        HBox.setHgrow(slider, Priority.ALWAYS);
        slider.valueProperty().addListener((o, a, n) -> {
            if (!updating) controller.seek(r.firstMillis() + n.longValue());
        });
        speed.getItems().setAll(SPEEDS);
        speed.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : (d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d)) + "×";
            }

            @Override
            public Double fromString(String s) {
                return null;
            }
        });
        speed.setValue(controller.speed());
        speed.setOnAction(e -> {
            if (speed.getValue() != null && speed.getValue() != controller.speed()) controller.setSpeed(speed.getValue());
        });
        Label speedLabel = new Label(b.getString("replay.speed"));
        getChildren().addAll(marker, file, back, play, fwd, slider, position, speedLabel, speed);
        ticker = new FxTicker(200, this::update); // not a Timeline: that would pulse 60 times a second
        ticker.start();
        update();
        Presentation.attach(this, this);
    }

    public ReplayController controller() {
        return controller;
    }

    /** Stops the ticker (the bar is being removed). */
    public void dispose() {
        ticker.stop();
    }

    void update() {
        Recording r = controller.recording();
        updating = true;
        try {
            slider.setValue(controller.offsetMillis());
        } finally {
            updating = false;
        }
        play.setText(b.getString(controller.isPlaying() ? "replay.pause" : "replay.play"));
        if (speed.getValue() == null || speed.getValue() != controller.speed()) speed.setValue(controller.speed());
        position.setText(MessageFormat.format(b.getString("replay.position"), clock(controller.offsetMillis()),
                clock(r.durationMillis()), WHEN.format(Instant.ofEpochMilli(controller.positionMillis()))));
    }

    private static String clock(long ms) {
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%d:%02d.%d", s / 60, s % 60, (ms % 1000) / 100);
    }

    /** Asks for a recording file; empty when cancelled. */
    public static Optional<Path> chooseRecording(Window owner, ResourceBundle b) {
        FileChooser fc = new FileChooser();
        fc.setTitle(b.getString("replay.open.title"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(b.getString("replay.filter"), "*" + RecordingWriter.EXTENSION));
        File f = fc.showOpenDialog(owner);
        return f == null ? Optional.empty() : Optional.of(f.toPath());
    }

    // ---- Presentation.Target ----
    @Override
    public void togglePlay() {
        controller.togglePlay();
        update();
    }

    @Override
    public void step() {
        controller.stepForward();
        update();
    }

    @Override
    public void stepBack() {
        controller.stepBack();
        update();
    }

    @Override
    public void faster() {
        controller.faster();
        update();
    }

    @Override
    public void slower() {
        controller.slower();
        update();
    }

    @Override
    public boolean isShowing() {
        return Presentation.treeVisible(this);
    }
}
