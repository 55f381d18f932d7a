package io.tcplens.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javafx.animation.FadeTransition;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The window's own notifications (alerts, the incident recorder's "saved"): small cards stacked at the bottom
 * right of the window's content, above the status bar and its Alerts button, in the theme's colours
 * ({@code incident.css}). A card fades in over {@value #APPEAR_MILLIS} ms and is then static until it hides:
 * its hide timer is a plain delayed task handed to the FX thread, not a JavaFX animation. (ControlsFX's
 * {@code Notifications} ran its hide timer as a {@code Timeline}, which keeps the toolkit pulsing 60 times a
 * second, CSS, layout and a render each time, for as long as the notification waits: issue 11, round 23.)
 * A card is keyboard-reachable (Tab): Enter or Space does its action, Escape closes it; a screen reader reads
 * its title and text.
 */
public final class NoticeStack {
    /** A card's look: an alert (amber edge) or information (the accent's edge). */
    public enum Kind {
        ALERT("notice-alert", "⚠"), INFO("notice-info", "ℹ");

        final String styleClass, glyph;

        Kind(String styleClass, String glyph) {
            this.styleClass = styleClass;
            this.glyph = glyph;
        }
    }

    static final long APPEAR_MILLIS = 150;
    /** How the hide timers reach the FX thread (tests may replace the delay). */
    private static final Executor FX = Platform::runLater;

    private final VBox layer = new VBox(8);
    private final String closeText;
    private final List<Notice> showing = new ArrayList<>();

    /** @param closeText the close button's accessible text ("Close") */
    public NoticeStack(String closeText) {
        this.closeText = closeText;
        layer.getStyleClass().add("notice-layer");
        layer.setAlignment(Pos.BOTTOM_RIGHT);
        layer.setFillWidth(false);
        layer.setPadding(new Insets(12));
        layer.setPickOnBounds(false); // clicks beside the cards reach the view under them
    }

    /** The layer to put over the window's content (a StackPane's top child). */
    public Node node() {
        return layer;
    }

    /** The cards showing now, oldest first (FX thread). */
    public List<Notice> showing() {
        return List.copyOf(showing);
    }

    /**
     * FX thread: shows a card; it hides by itself after {@code hideAfter} ms, when closed, or when clicked (then
     * {@code onAction} runs, if not null).
     */
    public Notice show(Kind kind, String title, String text, long hideAfter, Runnable onAction) {
        Notice n = new Notice(kind, title, text, onAction);
        showing.add(n);
        layer.getChildren().add(n.card);
        FadeTransition fade = new FadeTransition(Duration.millis(APPEAR_MILLIS), n.card);
        fade.setFromValue(0);
        fade.setToValue(1);
        fade.play();
        n.hideIn(hideAfter);
        return n;
    }

    /** One card. */
    public final class Notice {
        private final HBox card = new HBox();
        private final Label titleLabel;
        private String title;
        private final String text;
        private final Runnable onAction;
        private long generation;

        private Notice(Kind kind, String title, String text, Runnable onAction) {
            this.title = title;
            this.text = text;
            this.onAction = onAction;
            Label glyph = new Label(kind.glyph);
            glyph.getStyleClass().add("notice-glyph");
            glyph.setMinWidth(Region.USE_PREF_SIZE);
            titleLabel = label(title, "notice-title");
            VBox texts = new VBox(2, titleLabel);
            // the text's first line says what happened; what follows (source and time) is the muted detail
            int nl = text.indexOf('\n');
            texts.getChildren().add(label(nl < 0 ? text : text.substring(0, nl), "notice-text"));
            if (nl >= 0) texts.getChildren().add(label(text.substring(nl + 1), "notice-detail"));
            HBox.setHgrow(texts, Priority.ALWAYS);
            Button close = new Button("✕");
            close.getStyleClass().addAll("notice-close", "flat");
            close.setAccessibleText(closeText);
            close.setFocusTraversable(false); // Escape on the card closes it
            close.setMinWidth(Region.USE_PREF_SIZE);
            close.setOnAction(e -> hide());
            card.getChildren().setAll(glyph, texts, close);
            card.setAlignment(Pos.TOP_LEFT);
            card.getStyleClass().addAll("alert-notice", kind.styleClass);
            if (onAction != null) card.getStyleClass().add("notice-action");
            card.setFocusTraversable(true);
            card.setAccessibleRole(onAction != null ? AccessibleRole.BUTTON : AccessibleRole.TEXT);
            card.setAccessibleText(title + ". " + text);
            card.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) act();
            });
            card.setOnKeyPressed(e -> {
                if (e.getCode() == KeyCode.ESCAPE) {
                    hide();
                    e.consume();
                } else if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE) {
                    act();
                    e.consume();
                }
            });
        }

        /** A wrapped label as tall as its text at the card's width (a wrapped label in a box is otherwise cut short). */
        private static Label label(String text, String styleClass) {
            Label l = new Label(text);
            l.getStyleClass().add(styleClass);
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
            return l;
        }

        private void act() {
            hide();
            if (onAction != null) onAction.run();
        }

        /** FX thread: hides after {@code ms} from now (a timer set before is forgotten). */
        public void hideIn(long ms) {
            long g = ++generation;
            CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS, FX).execute(() -> {
                if (generation == g) hide();
            });
        }

        /** FX thread: takes the card away (already gone: nothing). */
        public void hide() {
            generation++;
            if (showing.remove(this)) layer.getChildren().remove(card);
        }

        public boolean isShowing() {
            return showing.contains(this);
        }

        public String title() {
            return title;
        }

        /** FX thread: a new title (a count that went up), read out as the card's text too. */
        public void setTitle(String t) {
            title = t;
            titleLabel.setText(t);
            card.setAccessibleText(t + ". " + text);
        }

        public String text() {
            return text;
        }

        /** The card (tests, screenshots). */
        Node card() {
            return card;
        }
    }
}
