package io.tcplens.ui;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.Animation;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyProperty;
import javafx.scene.Node;

/**
 * The animations JavaFX is running now: every {@code Timeline}, transition and {@code AnimationTimer} that is
 * playing registers a receiver with the toolkit's primary timer, and while one is registered JavaFX pulses every
 * frame (60 a second). JavaFX has no public list of them; this reads the primary timer's private arrays (test code
 * only) and names each: its class, and for a timeline the properties its key values move and the code its key
 * frames run, for a transition the node it moves (with its style classes and parents). Call on the FX thread.
 */
public final class RunningAnimations {
    private RunningAnimations() {}

    /** Pulse receivers (Timelines, transitions) and AnimationTimers registered with JavaFX's primary timer now. */
    public static int count() {
        return receivers().size();
    }

    /** One line for each running animation (see the class comment). */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Object r : receivers()) out.add(describe(r));
        return out;
    }

    private static List<Object> receivers() {
        Object timer = com.sun.javafx.tk.Toolkit.getToolkit().getPrimaryTimer();
        try {
            List<Object> out = new ArrayList<>();
            Class<?> primary = com.sun.scenario.animation.AbstractPrimaryTimer.class;
            for (String[] f : new String[][] {{"receivers", "receiversLength"}, {"animationTimers", "animationTimersLength"}}) {
                Object[] records = (Object[]) field(primary, f[0]).get(timer);
                int length = field(primary, f[1]).getInt(timer);
                for (int i = 0; i < length; i++) {
                    Method receiver = records[i].getClass().getDeclaredMethod("receiver");
                    receiver.setAccessible(true);
                    out.add(receiver.invoke(records[i]));
                }
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JavaFX's primary timer changed: " + e, e);
        }
    }

    private static String describe(Object receiver) {
        Object owner = outer(receiver);
        if (owner instanceof Animation a) {
            StringBuilder s = new StringBuilder(a.getClass().getName()).append(" cycles ").append(a.getCycleCount())
                    .append(a.getCycleCount() == Animation.INDEFINITE ? " (indefinite)" : "");
            if (a instanceof Timeline t) {
                for (KeyFrame k : t.getKeyFrames()) {
                    for (KeyValue v : k.getValues())
                        s.append(" moves ").append(v.getTarget() instanceof ReadOnlyProperty<?> p
                                ? name(p.getBean()) + "." + p.getName() : String.valueOf(v.getTarget()));
                    if (k.getOnFinished() != null) {
                        s.append(" runs ").append(k.getOnFinished().getClass().getName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda"));
                        Node n = nodeBehind(k.getOnFinished(), 4, new java.util.IdentityHashMap<>());
                        if (n != null) s.append(" for ").append(path(n));
                    }
                }
            }
            try {
                Method node = a.getClass().getMethod("getNode");
                if (node.invoke(a) instanceof Node n) s.append(" on ").append(path(n));
            } catch (ReflectiveOperationException e) {
                // not a transition of a node
            }
            if (a.getOnFinished() != null) s.append(" then ").append(a.getOnFinished().getClass().getName());
            return s.toString();
        }
        if (owner instanceof AnimationTimer t) return "AnimationTimer " + t.getClass().getName();
        return "receiver " + receiver.getClass().getName();
    }

    /** A node (or a skin's control) that a handler refers to, through up to {@code depth} fields (weak references followed). */
    private static Node nodeBehind(Object o, int depth, java.util.Map<Object, Boolean> seen) {
        if (o == null || depth < 0 || seen.put(o, Boolean.TRUE) != null) return null;
        if (o instanceof Node n) return n;
        if (o instanceof javafx.scene.control.Skin<?> skin && skin.getSkinnable() instanceof Node n) return n;
        if (o instanceof java.lang.ref.Reference<?> r) return nodeBehind(r.get(), depth - 1, seen);
        if (o instanceof ReadOnlyProperty<?> p && p.getBean() != null) {
            Node n = nodeBehind(p.getBean(), depth - 1, seen);
            if (n != null) return n;
        }
        if (o.getClass().getName().startsWith("java.") || o.getClass().isArray()) return null;
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass())
            for (Field f : c.getDeclaredFields()) {
                if (f.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                try {
                    f.setAccessible(true);
                    Node n = nodeBehind(f.get(o), depth - 1, seen);
                    if (n != null) return n;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field we may not read
                }
            }
        return null;
    }

    /** The object an inner class's instance belongs to (Animation's and AnimationTimer's receivers are inner classes). */
    private static Object outer(Object inner) {
        for (Class<?> c = inner.getClass(); c != null; c = c.getSuperclass())
            for (Field f : c.getDeclaredFields())
                if (f.getName().startsWith("this$")) {
                    try {
                        f.setAccessible(true);
                        return f.get(inner);
                    } catch (ReflectiveOperationException e) {
                        return inner;
                    }
                }
        return inner;
    }

    private static String name(Object o) {
        if (o instanceof Node n) return path(n);
        return o == null ? "null" : o.getClass().getName();
    }

    /** The node, with its style classes, and up to four parents. */
    private static String path(Node n) {
        StringBuilder s = new StringBuilder();
        Node p = n;
        for (int i = 0; i < 5 && p != null; i++, p = p.getParent()) {
            if (i > 0) s.insert(0, " > ");
            s.insert(0, p.getClass().getSimpleName() + (p.getStyleClass().isEmpty() ? "" : p.getStyleClass().toString())
                    + (p.getId() == null ? "" : "#" + p.getId()));
        }
        return s + (n.getScene() == null ? " (in no scene)" : n.getScene().getWindow() == null ? " (scene in no window)"
                : n.getScene().getWindow().isShowing() ? "" : " (window closed)");
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
