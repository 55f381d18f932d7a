package io.tcplens.ui.shell;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ConstrainedColumnResizeBase;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Region;
import javafx.util.Callback;

/**
 * How a table's columns share its width (issue 18: at 1024 px the last columns of the connections,
 * remote-IP and process tables were cut at the window's edge). Every column has a floor, its minimum
 * width, at which its header and a typical value are still whole; its preferred width is what it
 * gets when there is room. The policy, for every table that installs it:
 * <ul>
 *   <li>while the floors of the visible columns fit in the table's width, the columns are squeezed
 *       between their floors and preferred widths (and widened up to their maximum when there is more
 *       room): every visible column is on screen, with no sideways scroll bar;</li>
 *   <li>when they do not (the user chose more columns in the column menu than the window can show,
 *       or a side pane took part of the width), each column keeps its preferred width and the table
 *       scrolls sideways: no header is squeezed to "…".</li>
 * </ul>
 * The floors are chosen so that each table's default columns fit a 1024 px window.
 * <p>
 * Never wider than the table, at any pulse (a quiet CI run saw the process tab's port table 1012 px of
 * columns in 1010 px right after a poll): the squeeze is JavaFX's constrained policy given the room the
 * columns really have — the table's width less its insets and its vertical scroll bar, counted at its
 * preferred width in the layout pass that shows it (the skin told the policy the width without the
 * bar while the bar had not been laid out yet) — and run again when a floor rises (a column widened to
 * its new floor stayed wider than the table until the table's width next changed). A header's floor is
 * still taken after the layout that measured it, so a tab's first frame may show a header cut for a pulse
 * (taken from the header's preferred width in the CSS pass instead, some floors came out wider and the
 * remote-IP table cut its counts at 1024 px, LayoutAt1024Test).
 */
public final class FittedColumns {
    /**
     * The maximum width of a column that takes a wide window's spare room (TableColumn's own default):
     * with {@code Double.MAX_VALUE} the constrained policy's sums were infinite and it left every column
     * at its floor, the rest of the table empty.
     */
    public static final double WIDE = 5000;

    /** Room a table needs beside its columns: the vertical scroll bar and the column menu's button. */
    public static final double CHROME = 18;

    private final TableView<?> table;
    private final double chrome;

    private FittedColumns(TableView<?> table, double chrome) {
        this.table = table;
        this.chrome = chrome;
    }

    /** Applies the policy to {@code table} now and whenever its width or its visible columns change. */
    public static FittedColumns install(TableView<?> table) {
        return install(table, CHROME);
    }

    /** As {@link #install(TableView)}, with {@code chrome} px the columns cannot use. */
    public static FittedColumns install(TableView<?> table, double chrome) {
        FittedColumns f = new FittedColumns(table, chrome);
        InvalidationListener refit = o -> f.fit();
        table.widthProperty().addListener(refit);
        for (TableColumn<?, ?> c : table.getColumns()) watch(c, refit);
        table.getColumns().addListener((ListChangeListener<TableColumn<?, ?>>) ch -> {
            while (ch.next()) for (TableColumn<?, ?> c : ch.getAddedSubList()) watch(c, refit);
            f.fit();
        });
        f.fit();
        return f;
    }

    /**
     * Makes {@code header} the column's header and the column's floor the larger of {@code contentFloor}
     * (room for a typical value) and the header's own width plus the header's padding, as laid out with
     * the header's font (so it follows the type size, larger when presenting). The header is never cut:
     * its minimum width is its preferred width. The column keeps the header's text on one line as its
     * own text, which the table's column menu lists (style class {@code graphic-header}: the header cell
     * draws only the label).
     */
    public static void headerFloor(TableColumn<?, ?> c, Label header, double contentFloor) {
        header.setMinWidth(Region.USE_PREF_SIZE);
        c.setGraphic(header);
        c.setText(header.getText() == null ? "" : header.getText().replace('\n', ' '));
        if (!c.getStyleClass().contains("graphic-header")) c.getStyleClass().add("graphic-header");
        c.setMinWidth(contentFloor);
        if (c.getPrefWidth() < contentFloor) c.setPrefWidth(contentFloor);
        boolean[] pending = {false};
        header.widthProperty().addListener((o, was, w) -> {
            // after the layout pass that measured the header: a column's width changed inside it made the
            // table drop rows from a list the pass was walking (IndexOutOfBoundsException in Parent.layout)
            if (pending[0]) return;
            pending[0] = true;
            Platform.runLater(() -> {
                pending[0] = false;
                // the header cell's label pads by half an em each side, plus its grid's 4 px and a border
                double floor = Math.max(contentFloor, Math.ceil(header.getWidth() + header.getFont().getSize() + 6));
                if (Math.abs(floor - c.getMinWidth()) > 0.5) c.setMinWidth(floor);
                if (c.getPrefWidth() < floor) c.setPrefWidth(floor);
            });
        });
    }

    private static void watch(TableColumn<?, ?> c, InvalidationListener refit) {
        c.visibleProperty().addListener(refit);
        c.minWidthProperty().addListener(refit);
    }

    /** The sum of the visible columns' floors plus the table's chrome. */
    public double floors() {
        double sum = chrome;
        for (TableColumn<?, ?> c : table.getVisibleLeafColumns()) sum += c.getMinWidth();
        return sum;
    }

    /** Whether the visible columns are squeezed to the table's width (false: it scrolls sideways). */
    public boolean squeezed() {
        return table.getColumnResizePolicy() != TableView.UNCONSTRAINED_RESIZE_POLICY;
    }

    /** JavaFX's constrained policy (all columns), given the room the columns really have ({@link #room}). */
    private final Squeeze squeeze = new Squeeze();

    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class Squeeze extends ConstrainedColumnResizeBase implements Callback<TableView.ResizeFeatures, Boolean> {
        @Override
        public Boolean call(TableView.ResizeFeatures rf) {
            double skin = rf.getContentWidth();
            double room = room(skin);
            Callback policy = TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS;
            if (room == skin) return (Boolean) policy.call(rf);
            return (Boolean) policy.call(new TableView.ResizeFeatures(table, rf.getColumn(), rf.getDelta()) {
                @Override
                public double getContentWidth() {
                    return room;
                }
            });
        }
    }

    /**
     * The width the columns may take: the skin's ({@code skin}, 0 before the first layout), or less when the
     * vertical scroll bar is shown and was not counted (not laid out yet: 0 px wide).
     */
    double room(double skin) {
        if (skin <= 0) return skin;
        double bar = 0;
        for (Node n : table.lookupAll(".scroll-bar"))
            if (n instanceof ScrollBar sb && sb.getOrientation() == Orientation.VERTICAL && sb.isVisible() && sb.getParent() != null
                    && sb.getParent().getParent() == table) // the flow's own bar (the flow is the skin's child)
                bar = Math.max(bar, sb.getWidth() > 0 ? sb.getWidth() : sb.prefWidth(-1)); // not laid out yet: its preferred width
        double room = Math.floor(table.snapSizeX(table.getWidth()) - table.snappedLeftInset() - table.snappedRightInset() - bar);
        return room > 0 && room < skin ? room : skin;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void fit() {
        double have = table.getWidth();
        boolean squeeze = have <= 0 || floors() <= have;
        Callback policy = squeeze ? this.squeeze : TableView.UNCONSTRAINED_RESIZE_POLICY;
        if (table.getColumnResizePolicy() == policy) {
            // a floor rose: a column below it was widened to it, past the table's width; squeeze again
            if (squeeze && table.getSkin() != null) policy.call(new TableView.ResizeFeatures(table, null, 0.0));
            return;
        }
        table.setColumnResizePolicy(policy);
        if (!squeeze) { // back to each column's own width (the squeeze changed them)
            for (TableColumn<?, ?> c : table.getVisibleLeafColumns()) {
                double w = c.getPrefWidth();
                c.setPrefWidth(w + 1);
                c.setPrefWidth(w);
            }
        }
    }
}
