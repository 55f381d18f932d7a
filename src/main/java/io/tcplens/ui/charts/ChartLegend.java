package io.tcplens.ui.charts;

import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.StatePalette;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;

/**
 * A chart's key, one entry per series: a swatch in the state's named colour from the theme (the
 * looked-up {@code -state-color} of the state's style class, the same colour the series is drawn
 * in), the series' name and its newest value. Entries of the states chart hide or show their state
 * on a click. Made by the view rather than the chart so that both charts' plots keep the same width.
 */
final class ChartLegend extends FlowPane {
    private final List<Label> entries = new ArrayList<>();
    private final List<String> names;
    private final List<TcpState> colours;

    /**
     * @param names   the series' names, in series order
     * @param colours the state whose colour each series is drawn in
     * @param onClick called with an entry's index when it is clicked (null: entries are not buttons)
     * @param tip     the entries' tooltip (null: none)
     */
    ChartLegend(List<String> names, List<TcpState> colours, IntConsumer onClick, String tip) {
        super(16, 2);
        this.names = List.copyOf(names);
        this.colours = List.copyOf(colours);
        getStyleClass().add("chart-key-row");
        setAlignment(Pos.CENTER);
        for (int i = 0; i < names.size(); i++) {
            Region swatch = new Region();
            swatch.getStyleClass().addAll("key-swatch", StatePalette.styleClass(colours.get(i)));
            swatch.setMinSize(12, 12);
            swatch.setPrefSize(12, 12);
            swatch.setMaxSize(12, 12);
            Label e = new Label(names.get(i), swatch);
            e.getStyleClass().addAll("chart-key", StatePalette.styleClass(colours.get(i)));
            e.setMinWidth(Region.USE_PREF_SIZE); // a name or a figure is never cut: the row wraps
            if (onClick != null) {
                int index = i;
                e.setCursor(Cursor.HAND);
                e.setOnMouseClicked(ev -> onClick.accept(index));
            }
            if (tip != null) e.setTooltip(new Tooltip(tip));
            entries.add(e);
        }
        getChildren().setAll(entries);
    }

    /** The entries, in series order (tests). */
    List<Label> entries() {
        return entries;
    }

    /** The swatch of entry {@code i} (tests read its colour). */
    Region swatch(int i) {
        return (Region) entries.get(i).getGraphic();
    }

    /** The state whose colour entry {@code i} shows. */
    TcpState colour(int i) {
        return colours.get(i);
    }

    /** Each entry's newest value, written after its name (null or blank: the name alone). */
    void setValues(List<String> values) {
        for (int i = 0; i < entries.size(); i++) {
            String v = i < values.size() ? values.get(i) : null;
            String text = v == null || v.isBlank() ? names.get(i) : names.get(i) + "  " + v;
            if (!text.equals(entries.get(i).getText())) entries.get(i).setText(text);
        }
    }

    /** Shows entry {@code i} as switched off (its series hidden) or on. */
    void setOff(int i, boolean off) {
        Label e = entries.get(i);
        if (off) {
            if (!e.getStyleClass().contains("off")) e.getStyleClass().add("off");
        } else e.getStyleClass().remove("off");
    }
}
