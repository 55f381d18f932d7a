package io.tcplens.lab.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A TCP segment in a scripted scenario.
 *
 * @param id      unique within the script
 * @param from    sender
 * @param flags   e.g. SYN, ACK, FIN, RST, DATA
 * @param seq     sequence number shown (illustrative, consistent within the script)
 * @param ack     acknowledgment number shown, or -1 when the ACK flag is off
 * @param fate    what becomes of it in the network
 */
public record Segment(int id, Host from, List<Flag> flags, long seq, long ack, Fate fate) {
    public enum Flag { SYN, ACK, FIN, RST, DATA }

    /** Delivered in order; lost in the network; delivered much later (an old duplicate). */
    public enum Fate { DELIVERED, LOST, DELAYED }

    public Segment {
        flags = List.copyOf(flags);
    }

    public Host to() {
        return from.peer();
    }

    /** The flags as drawn on the arrow, e.g. "SYN, ACK" or "FIN, ACK". */
    public String label() {
        List<String> parts = new ArrayList<>();
        for (Flag f : flags) parts.add(f.name());
        return String.join(", ", parts);
    }

    /** "seq=100 ack=301" */
    public String numbers() {
        return "seq=" + seq + (ack >= 0 ? " ack=" + ack : "");
    }
}
