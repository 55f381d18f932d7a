package io.tcplens.ui.shell;

import io.tcplens.analysis.alerts.AlertEvent;
import io.tcplens.analysis.alerts.AlertRule;
import io.tcplens.model.TcpState;
import io.tcplens.source.replay.IncidentBuffer;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Alerts and incident recorder settings: the alerts that hold now, the usual thresholds as rows (a
 * tick and a number each), any other rule in the {@code tcplens watch --alert} syntax, whether to show
 * desktop notifications, and how many minutes (and megabytes) the recorder keeps. A rule that does not
 * parse is named under the field and OK stays disabled.
 */
public final class AlertSettingsDialog extends Dialog<AlertSettingsDialog.Settings> {
    public record Settings(List<AlertRule> rules, boolean notifications, int minutes, int maxMb) {}

    /** One editable row: which rule it writes for a value. */
    private record Row(CheckBox on, Spinner<Integer> value, Spinner<Integer> window, Function<Row, AlertRule> rule,
                       Predicate<AlertRule> matches) {}

    private final List<Row> rows = new ArrayList<>();
    private final TextField other = new TextField();
    private final Label error = new Label();
    private final CheckBox notify = new CheckBox();
    private final Spinner<Integer> minutes = new Spinner<>(1, 120, 15);
    private final Spinner<Integer> maxMb = new Spinner<>(8, 1024, 64, 8);

    public AlertSettingsDialog(ResourceBundle b, List<AlertRule> current, boolean notifyOn, int keepMinutes, int maxMegabytes,
                               List<AlertEvent> active, IncidentBuffer buffer, int every, Function<AlertEvent, String[]> describe) {
        setTitle(b.getString("alerts.settings.title"));
        setHeaderText(null);
        setResizable(true);

        VBox box = new VBox(10);
        box.setPadding(new Insets(4, 4, 0, 4));
        box.setPrefWidth(640);

        // what holds now
        Label nowHead = heading(b.getString("alerts.settings.active"));
        box.getChildren().add(nowHead);
        if (active.isEmpty()) box.getChildren().add(muted(b.getString("alerts.settings.none")));
        for (AlertEvent e : active) {
            String[] t = describe.apply(e);
            Label l = new Label("⚠ " + t[1].replace("\n", " — "));
            l.setWrapText(true);
            l.getStyleClass().add("alert-active");
            box.getChildren().add(l);
        }
        box.getChildren().add(new Separator());

        // thresholds
        box.getChildren().add(heading(b.getString("alerts.settings.rules")));
        box.getChildren().add(muted(b.getString("alerts.settings.explain")));
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        List<AlertRule> left = new ArrayList<>(current);
        int r = 0;
        for (TcpState s : List.of(TcpState.CLOSE_WAIT, TcpState.TIME_WAIT, TcpState.SYN_RECV)) {
            int def = s == TcpState.CLOSE_WAIT ? 100 : s == TcpState.TIME_WAIT ? 20_000 : 500;
            addRow(grid, r++, MessageFormat.format(b.getString("alerts.settings.state"), s.name()), null, def, 1, 10_000_000,
                    null, row -> AlertRule.stateAbove(s, row.value().getValue()),
                    a -> a.kind() == AlertRule.Kind.STATE_COUNT && a.state() == s && a.op() == AlertRule.Op.GT, left);
        }
        addRow(grid, r++, b.getString("alerts.settings.headroom"), "%", 10, 1, 99, null,
                row -> AlertRule.headroomBelow(row.value().getValue()),
                a -> a.kind() == AlertRule.Kind.HEADROOM && a.op() == AlertRule.Op.LT && a.threshold() == Math.rint(a.threshold()), left);
        addRow(grid, r++, b.getString("alerts.settings.growth"), null, 20, 1, 100_000, b.getString("alerts.settings.growthWindow"),
                row -> AlertRule.closeWaitGrowth(row.value().getValue(), row.window().getValue() * 60_000L),
                a -> a.kind() == AlertRule.Kind.CLOSE_WAIT_GROWTH && a.op() == AlertRule.Op.GT && a.windowMillis() % 60_000 == 0
                        && a.windowMillis() <= 60 * 60_000, left);
        box.getChildren().add(grid);

        Label otherLabel = new Label(b.getString("alerts.settings.other"));
        otherLabel.setMnemonicParsing(false);
        otherLabel.setLabelFor(other);
        other.setText(AlertRule.format(left));
        other.setPromptText(b.getString("alerts.settings.other.prompt"));
        error.getStyleClass().add("status-error");
        error.setWrapText(true);
        error.setManaged(false);
        error.setVisible(false);
        box.getChildren().addAll(otherLabel, other, error);
        notify.setText(b.getString("alerts.settings.notify"));
        notify.setMnemonicParsing(false);
        notify.setSelected(notifyOn);
        box.getChildren().addAll(notify, new Separator());

        // incident recorder
        box.getChildren().add(heading(b.getString("incident.settings")));
        minutes.getValueFactory().setValue(keepMinutes);
        maxMb.getValueFactory().setValue(maxMegabytes);
        for (Spinner<Integer> sp : List.of(minutes, maxMb)) {
            sp.setEditable(true);
            sp.setPrefWidth(90);
        }
        HBox keep = new HBox(8, new Label(b.getString("incident.settings.keep")), minutes,
                new Label(b.getString("incident.settings.minutes")), maxMb, new Label(b.getString("incident.settings.mb")));
        keep.setAlignment(Pos.CENTER_LEFT);
        box.getChildren().add(keep);
        box.getChildren().add(muted(MessageFormat.format(b.getString("incident.settings.holding"),
                IncidentControls.spanText(buffer.spanMillis()), String.format(Locale.ROOT, "%.1f", buffer.bytes() / 1e6),
                buffer.records()) + (every > 1 ? " " + MessageFormat.format(b.getString("incident.settings.thinned"), every) : "")
                + (buffer.inMemoryBecause() != null ? " " + MessageFormat.format(b.getString("incident.memory"), buffer.inMemoryBecause())
                        : buffer.fileDirectory() != null ? " " + MessageFormat.format(b.getString("incident.settings.where"), buffer.fileDirectory()) : "")));

        getDialogPane().setContent(box);
        ButtonType ok = new ButtonType(b.getString("alerts.settings.ok"), ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(ok, ButtonType.CANCEL);
        Node okButton = getDialogPane().lookupButton(ok);
        other.textProperty().addListener((o, a, n) -> okButton.setDisable(!validate()));
        okButton.setDisable(!validate());
        setResultConverter(bt -> bt == ok ? settings() : null);
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title-4");
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("text-muted");
        return l;
    }

    private void addRow(GridPane grid, int r, String label, String unit, int def, int min, int max, String windowLabel,
                        Function<Row, AlertRule> rule, Predicate<AlertRule> matches, List<AlertRule> left) {
        CheckBox on = new CheckBox(label);
        on.setMnemonicParsing(false); // state names have underscores
        Spinner<Integer> value = new Spinner<>(min, max, def);
        value.setEditable(true);
        value.setPrefWidth(110);
        Spinner<Integer> window = windowLabel == null ? null : new Spinner<>(1, 60, 5);
        AlertRule found = left.stream().filter(matches).findFirst().orElse(null);
        if (found != null) {
            left.remove(found);
            on.setSelected(true);
            value.getValueFactory().setValue((int) Math.round(found.threshold()));
            if (window != null) window.getValueFactory().setValue((int) (found.windowMillis() / 60_000));
        }
        value.disableProperty().bind(on.selectedProperty().not());
        grid.add(on, 0, r);
        grid.add(value, 1, r);
        if (unit != null) grid.add(new Label(unit), 2, r);
        if (window != null) {
            window.setEditable(true);
            window.setPrefWidth(80);
            window.disableProperty().bind(on.selectedProperty().not());
            HBox w = new HBox(6, new Label(windowLabel), window, new Label("min"));
            w.setAlignment(Pos.CENTER_LEFT);
            grid.add(w, 2, r);
        }
        rows.add(new Row(on, value, window, rule, matches));
    }

    private boolean validate() {
        try {
            AlertRule.parseAll(other.getText());
            error.setText("");
            error.setVisible(false);
            error.setManaged(false);
            return true;
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
            error.setVisible(true);
            error.setManaged(true);
            return false;
        }
    }

    /** What OK stores (tests). */
    public Settings settings() {
        List<AlertRule> rules = new ArrayList<>();
        for (Row row : rows) if (row.on().isSelected()) rules.add(row.rule().apply(row));
        rules.addAll(AlertRule.parseAll(other.getText()));
        return new Settings(List.copyOf(new LinkedHashSet<>(rules)), notify.isSelected(), minutes.getValue(), maxMb.getValue());
    }

    /** The "other rules" field (tests). */
    public TextField otherField() {
        return other;
    }
}
