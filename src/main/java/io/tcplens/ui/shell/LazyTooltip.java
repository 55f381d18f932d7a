package io.tcplens.ui.shell;

import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;

/**
 * A node's tooltip that is made when the pointer first enters the node, not with the node (issue 13):
 * every {@link Tooltip} is a popup window with a scene and a style bridge of its own, and the header,
 * the tiles and the status bar had about 18 of them made before the window's first frame. Until then
 * the text is kept here (set or bound as a tooltip's would be) and given to the node as its
 * accessible help, which is what a screen reader reads from a control's tooltip; once made, the
 * tooltip shows the text as it is then and follows it.
 */
public final class LazyTooltip {
    private static final Object KEY = LazyTooltip.class;

    private final Node node;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final Consumer<Tooltip> setup;
    private final EventHandler<MouseEvent> onEnter = e -> tooltip();
    private Tooltip tooltip;

    private LazyTooltip(Node node, String text, Consumer<Tooltip> setup) {
        this.node = node;
        this.setup = setup;
        this.text.set(text);
        node.accessibleHelpProperty().bind(this.text);
        node.addEventHandler(MouseEvent.MOUSE_ENTERED, onEnter);
        node.getProperties().put(KEY, this);
    }

    /** A tooltip with this text for {@code node}, made when the pointer first enters it. */
    public static LazyTooltip install(Node node, String text) {
        return install(node, text, t -> {});
    }

    /** As {@link #install(Node, String)}; {@code setup} styles the tooltip once it is made (wrapping, width). */
    public static LazyTooltip install(Node node, String text, Consumer<Tooltip> setup) {
        LazyTooltip old = of(node);
        if (old != null) {
            old.text.unbind();
            old.setText(text);
            return old;
        }
        return new LazyTooltip(node, text == null ? "" : text, setup);
    }

    /** The node's lazy tooltip, or null when it has none. */
    public static LazyTooltip of(Node node) {
        return node.getProperties().get(KEY) instanceof LazyTooltip l ? l : null;
    }

    public StringProperty textProperty() {
        return text;
    }

    public String getText() {
        return text.get();
    }

    public void setText(String s) {
        text.set(s == null ? "" : s);
    }

    /** Whether the tooltip itself has been made (the pointer entered the node, or {@link #tooltip()} was called). */
    public boolean isMade() {
        return tooltip != null;
    }

    /** FX thread: the tooltip, made and installed on the node now if it was not yet. */
    public Tooltip tooltip() {
        if (tooltip == null) {
            Tooltip t = new Tooltip();
            t.textProperty().bind(text);
            setup.accept(t);
            tooltip = t;
            node.removeEventHandler(MouseEvent.MOUSE_ENTERED, onEnter);
            if (node instanceof Control c) c.setTooltip(t);
            else Tooltip.install(node, t);
        }
        return tooltip;
    }
}
