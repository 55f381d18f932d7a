package io.tcplens.lab.script;

import io.tcplens.model.TcpState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Steps through a {@link Script} forward and back. Position -1 is the start (before step 0);
 * {@code steps().size() - 1} is the end. Thread-safe; listeners run on the caller's thread.
 */
public final class ScenarioPlayer {
    private final Script script;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int position = -1;

    public ScenarioPlayer(Script script) {
        this.script = script;
    }

    public Script script() {
        return script;
    }

    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public synchronized int position() {
        return position;
    }

    public synchronized boolean atStart() {
        return position < 0;
    }

    public synchronized boolean atEnd() {
        return position >= script.steps().size() - 1;
    }

    /** Moves one step forward; false (and no change) at the end. */
    public boolean forward() {
        synchronized (this) {
            if (atEnd()) return false;
            position++;
        }
        fire();
        return true;
    }

    /** Moves one step back; false (and no change) at the start. */
    public boolean back() {
        synchronized (this) {
            if (atStart()) return false;
            position--;
        }
        fire();
        return true;
    }

    public void seek(int index) {
        synchronized (this) {
            position = Math.max(-1, Math.min(script.steps().size() - 1, index));
        }
        fire();
    }

    public void reset() {
        seek(-1);
    }

    public synchronized TcpState state(Host h) {
        return script.stateAfter(position, h);
    }

    /** The step just taken, or null at the start. */
    public synchronized Step current() {
        return position < 0 ? null : script.steps().get(position);
    }

    private void fire() {
        for (Runnable l : listeners) l.run();
    }
}
