package io.tcplens.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;

/**
 * What a person sees cut short in a scene: every shown {@link Labeled} whose drawn text differs from
 * its text (JavaFX put an ellipsis in, or dropped the end), and every empty text field whose prompt is
 * wider than the field. Call on the FX thread after a layout pulse.
 */
public final class Truncation {
    /**
     * One cut text: what it should say, what is drawn, the node (its class and style classes, then its
     * eight nearest parents'), whether it holds a figure.
     */
    public record Cut(String text, String drawn, String node, String parents, boolean number) {
        @Override
        public String toString() {
            return (number ? "NUMBER " : "label ") + "'" + text + "' drawn as '" + drawn + "' (" + node + parents + ")";
        }

        /** Whether the node itself, or one of its eight nearest parents, has this style class. */
        public boolean in(String styleClass) {
            return (node + parents).contains("." + styleClass + " ") || (node + parents).endsWith("." + styleClass)
                    || (node + parents).contains("." + styleClass + ".");
        }
    }

    private Truncation() {}

    /** Lays the scene out and lists what is cut. */
    public static List<Cut> in(Scene scene) {
        scene.getRoot().applyCss();
        scene.getRoot().layout();
        List<Cut> out = new ArrayList<>();
        walk(scene.getRoot(), scene, out);
        return out;
    }

    /** Only the cut texts that hold a figure (a digit). */
    public static List<Cut> numbers(List<Cut> cuts) {
        return cuts.stream().filter(Cut::number).toList();
    }

    private static void walk(Node n, Scene scene, List<Cut> out) {
        if (!n.isVisible() || n.getOpacity() == 0) return;
        if (n instanceof Labeled l && onScreen(l, scene)) check(l, out);
        if (n instanceof TextField f && onScreen(f, scene)) checkPrompt(f, out);
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) walk(c, scene, out);
    }

    private static boolean onScreen(Node n, Scene scene) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        return b.getWidth() > 0 && b.getHeight() > 0 && b.getMaxX() > 0 && b.getMaxY() > 0
                && b.getMinX() < scene.getWidth() && b.getMinY() < scene.getHeight();
    }

    private static void check(Labeled l, List<Cut> out) {
        String text = l.getText();
        if (text == null || text.isBlank()) return;
        Text drawn = null;
        for (Node c : l.getChildrenUnmodifiable()) {
            if (c instanceof Text t && c != l.getGraphic()) {
                drawn = t;
                break;
            }
        }
        if (drawn == null || !drawn.isVisible()) return;
        String shown = drawn.getText() == null ? "" : drawn.getText();
        if (normal(shown).equals(normal(text))) return;
        out.add(new Cut(text, shown, self(l), parents(l), hasDigit(text)));
    }

    private static void checkPrompt(TextField f, List<Cut> out) {
        String prompt = f.getPromptText();
        if (prompt == null || prompt.isBlank() || (f.getText() != null && !f.getText().isEmpty())) return;
        Text t = new Text(prompt);
        t.setFont(f.getFont());
        Insets in = f.getInsets();
        double room = f.getWidth() - in.getLeft() - in.getRight();
        if (t.getLayoutBounds().getWidth() > room + 0.5)
            out.add(new Cut(prompt, "(prompt in " + Math.round(room) + " px of " + Math.round(t.getLayoutBounds().getWidth()) + ")",
                    self(f), parents(f), false)); // an example in a prompt is no figure
    }

    private static String normal(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** A figure: a digit that does not continue a word ("python3", "tcplens-t-aad0e594" and "FIN-W2" are names). */
    private static final Pattern FIGURE = Pattern.compile("(?<![\\p{L}\\p{N}_\\-])\\d");

    private static boolean hasDigit(String s) {
        return FIGURE.matcher(s).find();
    }

    private static String self(Node n) {
        StringBuilder sb = new StringBuilder(n.getClass().getSimpleName());
        for (String c : n.getStyleClass()) sb.append('.').append(c);
        if (n.getId() != null) sb.append('#').append(n.getId());
        return sb.toString();
    }

    private static String parents(Node n) {
        StringBuilder sb = new StringBuilder();
        Parent p = n.getParent();
        for (int i = 0; i < 8 && p != null; i++, p = p.getParent()) sb.append(" < ").append(self(p));
        return sb.toString();
    }
}
