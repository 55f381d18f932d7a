package io.tcplens.lab.script;

import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import java.util.List;

/**
 * A deterministic, scripted scenario between two hosts: clearly simulated ({@link #SOURCE}), for what
 * polling rarely catches live (handshakes, CLOSING, LAST_ACK, a lost final ACK, a stray segment).
 *
 * @param id       name used on the command line and in bundle keys ({@code script.ID.title})
 * @param initialA A's state before the first step
 * @param initialB B's state before the first step
 * @param steps    the steps in order
 */
public record Script(String id, TcpState initialA, TcpState initialB, List<Step> steps) {
    public static final SourceInfo SOURCE = new SourceInfo(SourceInfo.Kind.SIMULATED, "script",
            "scripted scenario (simulated, not the kernel)");
    private static final String KEY_PREFIX = "script.";

    public Script {
        steps = List.copyOf(steps);
    }

    public String titleKey() {
        return KEY_PREFIX + id + ".title";
    }

    public String descriptionKey() {
        return KEY_PREFIX + id + ".description";
    }

    /** State of a host before step 0 ({@code index = -1}) or after step {@code index}. */
    public TcpState stateAfter(int index, Host h) {
        if (index < 0) return h == Host.A ? initialA : initialB;
        return steps.get(index).state(h);
    }

    /** The segment with this id (sent in some step). */
    public Segment segment(int id) {
        for (Step s : steps) if (s.sends() != null && s.sends().id() == id) return s.sends();
        throw new IllegalArgumentException("no segment " + id + " in script " + this.id);
    }

    /** Index of the step that sends segment {@code id}. */
    public int sentAt(int id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).sends() != null && steps.get(i).sends().id() == id) return i;
        return -1;
    }

    /** Index of the step where segment {@code id} arrives, or -1 (lost, or never arrives). */
    public int receivedAt(int id) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).receives() == id) return i;
        return -1;
    }
}
