package io.tcplens.diagram;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The animated side of the diagram: one token per connection, walking the segments the planner
 * gave it, at a pace set by a playback clock (real time to 10× slow motion, pause, step). A token
 * that falls behind (several polls queued) walks faster so that animations never pile up; one whose
 * queue overflows jumps along the shortest path to where it must be. Closed connections walk to
 * CLOSED and fade out. Single-threaded (the UI thread owns it). No toolkit.
 */
public final class TokenModel {
    /** Animation time one edge takes at 1×. */
    public static final double SEGMENT_MS = 650;
    /** Fade-out time after reaching CLOSED. */
    public static final double FADE_MS = 900;
    /** Queued segments kept per token before it jumps. */
    public static final int MAX_QUEUE = 24;
    /** Departing tokens kept at most (the oldest vanish at once beyond that). */
    public static final int MAX_DEPARTING = 4_000;
    /** Transitions kept per token for its history strip. */
    public static final int HISTORY = 16;

    /** One transition in a token's history. */
    public record Step(TcpState from, TcpState to, boolean inferred, long atMillis) {}

    /** One connection on the diagram. */
    public static final class Token {
        final ConnectionKey key;
        SocketEntry entry;
        TcpState at;
        EdgeStep current;
        double progress;
        final ArrayDeque<EdgeStep> queue = new ArrayDeque<>();
        boolean leaving;
        double fade = 1;
        int allowance = -1;
        final ArrayDeque<Step> history = new ArrayDeque<>();

        Token(ConnectionKey key, SocketEntry entry, TcpState at) {
            this.key = key;
            this.entry = entry;
            this.at = at;
        }

        public ConnectionKey key() { return key; }
        public SocketEntry entry() { return entry; }
        /** The last state it reached. */
        public TcpState at() { return at; }
        /** The edge it is on, or null when resting at {@link #at()}. */
        public EdgeStep current() { return current; }
        /** 0…1 along {@link #current()}. */
        public double progress() { return progress; }
        public boolean leaving() { return leaving; }
        /** 1 = opaque; falls to 0 while fading out at CLOSED. */
        public double fade() { return fade; }
        public boolean moving() { return current != null; }
        /** The state it is heading for once its queue is walked. */
        public TcpState destination() {
            if (!queue.isEmpty()) return queue.peekLast().to();
            return current != null ? current.to() : at;
        }
        public List<Step> history() { return List.copyOf(history); }
        public int queued() { return queue.size(); }
    }

    private final Map<ConnectionKey, Token> tokens = new HashMap<>();
    private final List<Token> departing = new ArrayList<>();
    private final Set<Token> moving = new LinkedHashSet<>();
    private final Map<TcpState, LinkedHashSet<Token>> resting = new EnumMap<>(TcpState.class);
    private double slowMotion = 1;
    private boolean paused;
    private boolean stepping;
    private boolean aggregated;
    private long version;

    public TokenModel() {
        for (TcpState s : TcpState.values()) resting.put(s, new LinkedHashSet<>());
    }

    // ---- playback clock ----

    /** 1 = real time … 10 = ten times slower. */
    public void setSlowMotion(double factor) {
        slowMotion = Math.max(1, Math.min(10, factor));
    }

    public double slowMotion() { return slowMotion; }

    public void setPaused(boolean p) {
        paused = p;
        if (!p) {
            stepping = false;
            for (Token t : tokens.values()) resume(t);
            for (Token t : departing) resume(t);
        }
    }

    public boolean paused() { return paused; }

    private void resume(Token t) {
        t.allowance = -1;
        if (t.current == null && !t.queue.isEmpty()) startNext(t);
    }

    /**
     * While paused: lets every token that has somewhere to go walk exactly one more edge (finishing
     * the one it is on, if any). Returns false when no token has anywhere to go.
     */
    public boolean step() {
        boolean any = false;
        for (Token t : tokens.values()) any |= grant(t);
        for (Token t : departing) any |= grant(t);
        if (any) {
            paused = true;
            stepping = true;
        }
        return any;
    }

    private boolean grant(Token t) {
        if (t.current == null && t.queue.isEmpty()) return false;
        t.allowance = 1;
        if (t.current == null) startNext(t);
        return true;
    }

    // ---- applying plans ----

    public void apply(DiagramPlan plan) {
        version++;
        if (plan.resync() || plan.aggregated() != aggregated) clear();
        aggregated = plan.aggregated();
        for (TokenMove m : plan.moves()) apply(m, plan.atMillis());
    }

    private void clear() {
        tokens.clear();
        departing.clear();
        moving.clear();
        for (LinkedHashSet<Token> set : resting.values()) set.clear();
    }

    private void apply(TokenMove m, long at) {
        switch (m.kind()) {
            case APPEAR -> {
                Token old = tokens.remove(m.key());
                if (old != null) drop(old);
                Token t = new Token(m.key(), m.entry(), m.origin());
                tokens.put(m.key(), t);
                rest(t);
            }
            case ENTER -> {
                Token old = tokens.remove(m.key());
                if (old != null) drop(old);
                Token t = new Token(m.key(), m.entry(), m.origin());
                tokens.put(m.key(), t);
                rest(t);
                enqueue(t, m.path(), m.target(), at);
            }
            case MOVE -> {
                Token t = tokens.get(m.key());
                if (t == null) {
                    t = new Token(m.key(), m.entry(), m.origin());
                    tokens.put(m.key(), t);
                    rest(t);
                }
                t.entry = m.entry();
                enqueue(t, m.path(), m.target(), at);
            }
            case LEAVE -> {
                Token t = tokens.remove(m.key());
                if (t == null) return;
                t.entry = m.entry();
                unrest(t);
                t.leaving = true;
                departing.add(t);
                enqueue(t, m.path(), TcpState.CLOSED, at);
                if (departing.size() > MAX_DEPARTING) {
                    // the oldest vanish at once (one bulk removal, not one shift per token)
                    int excess = departing.size() - MAX_DEPARTING;
                    List<Token> old = departing.subList(0, excess);
                    for (Token o : old) drop(o);
                    old.clear();
                }
            }
        }
    }

    private void enqueue(Token t, List<EdgeStep> path, TcpState target, long at) {
        TcpState dest = t.destination();
        List<EdgeStep> segs = path;
        if (segs.isEmpty() ? dest != target : segs.get(0).from() != dest) {
            // the plan assumed a state the token is not heading for: bridge with an inferred path
            segs = TransitionPlanner.inferredPath(dest, target, at);
        }
        t.queue.addAll(segs);
        if (t.queue.size() > MAX_QUEUE) {
            TcpState from = t.current != null ? t.current.to() : t.at;
            t.queue.clear();
            t.queue.addAll(TransitionPlanner.inferredPath(from, target, at));
        }
        if (t.current == null && !t.queue.isEmpty() && (!paused || t.allowance > 0)) startNext(t);
        if (t.leaving && t.current == null && t.queue.isEmpty()) unrest(t);
    }

    private void startNext(Token t) {
        EdgeStep s = t.queue.poll();
        if (s == null) return;
        unrest(t);
        t.current = s;
        t.progress = 0;
        moving.add(t);
    }

    private void rest(Token t) {
        if (!t.leaving) resting.get(t.at).add(t);
    }

    private void unrest(Token t) {
        resting.get(t.at).remove(t);
    }

    private void drop(Token t) {
        unrest(t);
        moving.remove(t);
        t.fade = 0;
    }

    // ---- time ----

    /** Advances the animation by {@code realMillis} of wall time; returns true if anything moved. */
    public boolean advance(double realMillis) {
        if (moving.isEmpty() && departing.isEmpty()) return false;
        double anim = realMillis / slowMotion;
        boolean changed = false;
        Iterator<Token> it = moving.iterator();
        List<Token> arrived = null;
        while (it.hasNext()) {
            Token t = it.next();
            if (paused && t.allowance <= 0) continue;
            double speed = 1 + Math.min(8, t.queue.size());
            t.progress += anim / SEGMENT_MS * speed;
            changed = true;
            if (t.progress >= 1) {
                if (arrived == null) arrived = new ArrayList<>();
                arrived.add(t);
                it.remove();
            }
        }
        if (arrived != null) for (Token t : arrived) arrive(t);
        // fading
        if (!departing.isEmpty()) {
            boolean gone = false;
            for (Token t : departing) {
                if (t.current == null && t.queue.isEmpty() && t.fade > 0 && (!paused || t.allowance == 0)) {
                    t.fade -= anim / FADE_MS;
                    changed = true;
                }
                gone |= t.fade <= 0;
            }
            if (gone) {
                departing.removeIf(t -> t.fade <= 0);
                changed = true;
            }
        }
        if (stepping) {
            boolean more = false;
            for (Token t : moving) if (t.allowance > 0) { more = true; break; }
            if (!more) {
                stepping = false;
                for (Token t : tokens.values()) t.allowance = -1;
            }
        }
        if (changed) version++;
        return changed;
    }

    private void arrive(Token t) {
        EdgeStep s = t.current;
        t.current = null;
        t.progress = 0;
        t.at = s.to();
        t.history.addLast(new Step(s.from(), s.to(), s.inferred(), s.atMillis()));
        while (t.history.size() > HISTORY) t.history.removeFirst();
        if (t.allowance > 0) t.allowance--;
        boolean mayContinue = !paused || t.allowance > 0;
        if (!t.queue.isEmpty() && mayContinue) {
            EdgeStep next = t.queue.poll();
            t.current = next;
            moving.add(t);
        } else if (!t.leaving) {
            rest(t);
        }
    }

    // ---- reading ----

    public boolean aggregated() { return aggregated; }

    /** Changes whenever something visible changes. */
    public long version() { return version; }

    /** True while something is (or is about to be) in motion. */
    public boolean animating() {
        return !moving.isEmpty() || !departing.isEmpty();
    }

    public Token token(ConnectionKey key) { return tokens.get(key); }

    public Collection<Token> tokens() { return Collections.unmodifiableCollection(tokens.values()); }

    /** Tokens on an edge right now (departing ones included). */
    public Collection<Token> moving() { return Collections.unmodifiableCollection(moving); }

    /** Tokens on their way out or fading at CLOSED. */
    public List<Token> departing() { return Collections.unmodifiableList(departing); }

    /** Tokens resting at a state, in arrival order. */
    public Collection<Token> resting(TcpState s) { return Collections.unmodifiableCollection(resting.get(s)); }

    public int restingCount(TcpState s) { return resting.get(s).size(); }

    public int size() { return tokens.size(); }
}
