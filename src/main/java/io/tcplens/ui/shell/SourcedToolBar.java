package io.tcplens.ui.shell;

import io.tcplens.model.SourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.Region;

/**
 * A view's tool bar with, at its right end, the line that says where the data on screen comes from
 * (live, lab, replay or simulated, and the namespace or host). Data always says where it came from:
 * when the window is narrow the line shortens to a form that still names the source, and below that
 * the tool bar's controls give way (into its overflow menu, "»") — never the line. In a 1024 px window
 * the state diagram's line had been pushed into the overflow menu with the controls' spare room.
 */
public final class SourcedToolBar extends Region {
    private static final double GAP = 12;
    private final ToolBar bar;
    private final FittedLabel source = new FittedLabel(HPos.RIGHT);

    public SourcedToolBar(ToolBar bar) {
        this.bar = bar;
        getStyleClass().add("sourced-tool-bar");
        bar.getStyleClass().add("sourced-controls");
        bar.setMinWidth(0);
        source.label().getStyleClass().add("view-source");
        setPadding(new Insets(0, 12, 0, 0));
        getChildren().addAll(bar, source);
    }

    /**
     * Shows where the data comes from, with {@code detail} (e.g. "21,000 connections") where there is
     * room: the source's label and the detail; the label alone; its kind and place ("live · network
     * namespace 'web'", "live · host db1:22", "simulated · generated benchmark table") — the place is the
     * description up to its first parenthesis; its kind and the source's name where that is shorter
     * ("live · netns:web/netlink", "simulated · generated").
     */
    public void showSource(SourceInfo info, String detail) {
        source.show(forms(info, detail));
    }

    /** Shows these forms (longest first); e.g. while there is no source yet. */
    public void showText(List<String> longestFirst) {
        source.show(longestFirst);
    }

    /** The forms {@link #showSource} shows, longest first; every one names the source's kind and place. */
    public static List<String> forms(SourceInfo info, String detail) {
        String label = info.label();
        String kind = info.kind().name().toLowerCase(Locale.ROOT);
        String d = info.description() == null ? "" : info.description();
        int paren = d.indexOf(" (");
        String place = kind + (d.isBlank() ? "" : " \u00b7 " + (paren > 0 ? d.substring(0, paren) : d));
        // the source's own short name ("generated", "netns:web/netlink", "ssh://ops@db1") where it is shorter and says more than the kind
        String named = info.name() == null || info.name().isBlank() || info.name().equalsIgnoreCase(kind) ? place : kind + " \u00b7 " + info.name();
        List<String> out = new ArrayList<>();
        if (detail != null && !detail.isBlank()) out.add(label + " \u00b7 " + detail);
        out.add(label);
        if (!place.equals(label)) out.add(place);
        if (named.length() < place.length()) out.add(named);
        return out;
    }

    /** The tool bar (its items are the view's controls). */
    public ToolBar bar() {
        return bar;
    }

    /** The source line. */
    public FittedLabel source() {
        return source;
    }

    @Override
    protected double computePrefWidth(double height) {
        return bar.prefWidth(-1) + GAP + source.prefWidth(-1) + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computeMinWidth(double height) {
        return bar.minWidth(-1) + GAP + source.minWidth(-1) + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        return Math.max(bar.prefHeight(-1), source.prefHeight(-1)) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return Math.max(bar.minHeight(-1), source.minHeight(-1)) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset(), top = snappedTopInset();
        double w = getWidth() - left - snappedRightInset(), h = getHeight() - top - snappedBottomInset();
        // the controls take what they want, the line the rest but never less than its shortest form
        double sourceW = Math.max(source.minWidth(-1), Math.min(source.prefWidth(-1), w - GAP - bar.prefWidth(-1)));
        sourceW = Math.min(sourceW, Math.max(0, w - GAP));
        double barW = Math.max(0, w - GAP - sourceW);
        bar.resizeRelocate(left, top, barW, h);
        source.resizeRelocate(left + w - sourceW, top, sourceW, h);
    }
}
