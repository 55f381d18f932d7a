package io.tcplens.lab.script;

import static io.tcplens.lab.script.Host.A;
import static io.tcplens.lab.script.Host.B;
import static io.tcplens.lab.script.Segment.Fate.DELAYED;
import static io.tcplens.lab.script.Segment.Fate.DELIVERED;
import static io.tcplens.lab.script.Segment.Fate.LOST;
import static io.tcplens.lab.script.Segment.Flag.ACK;
import static io.tcplens.lab.script.Segment.Flag.DATA;
import static io.tcplens.lab.script.Segment.Flag.FIN;
import static io.tcplens.lab.script.Segment.Flag.SYN;
import static io.tcplens.model.TcpState.CLOSED;
import static io.tcplens.model.TcpState.CLOSE_WAIT;
import static io.tcplens.model.TcpState.CLOSING;
import static io.tcplens.model.TcpState.ESTABLISHED;
import static io.tcplens.model.TcpState.FIN_WAIT1;
import static io.tcplens.model.TcpState.FIN_WAIT2;
import static io.tcplens.model.TcpState.LAST_ACK;
import static io.tcplens.model.TcpState.LISTEN;
import static io.tcplens.model.TcpState.SYN_RECV;
import static io.tcplens.model.TcpState.SYN_SENT;
import static io.tcplens.model.TcpState.TIME_WAIT;

import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scripted scenarios. Sequence numbers are illustrative but consistent (a SYN and a FIN each
 * take one number). Narration keys: {@code script.ID.N} in the lab bundle.
 */
public final class Scripts {
    private Scripts() {}

    private static final List<Script> ALL = List.of(handshake(), simultaneousOpen(), normalClose(),
            simultaneousClose(), lostFinalAck(), straySegment());

    public static List<Script> all() {
        return ALL;
    }

    public static Optional<Script> byId(String id) {
        return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Three-way handshake: SYN, SYN-ACK, ACK; the server passes through SYN_RECV. */
    static Script handshake() {
        Builder b = new Builder("handshake", CLOSED, LISTEN);
        int syn = b.send(A, SYN_SENT, seg(A, 100, -1, DELIVERED, SYN));
        int synAck = b.receiveAndSend(B, syn, SYN_RECV, seg(B, 300, 101, DELIVERED, SYN, ACK));
        int ack = b.receiveAndSend(A, synAck, ESTABLISHED, seg(A, 101, 301, DELIVERED, ACK));
        b.receive(B, ack, ESTABLISHED);
        return b.build();
    }

    /** Both sides send a SYN at once: both go SYN_SENT → SYN_RECV → ESTABLISHED. */
    static Script simultaneousOpen() {
        Builder b = new Builder("simultaneous-open", CLOSED, CLOSED);
        int synA = b.send(A, SYN_SENT, seg(A, 100, -1, DELIVERED, SYN));
        int synB = b.send(B, SYN_SENT, seg(B, 300, -1, DELIVERED, SYN));
        int saA = b.receiveAndSend(A, synB, SYN_RECV, seg(A, 100, 301, DELIVERED, SYN, ACK));
        int saB = b.receiveAndSend(B, synA, SYN_RECV, seg(B, 300, 101, DELIVERED, SYN, ACK));
        b.receive(A, saB, ESTABLISHED);
        b.receive(B, saA, ESTABLISHED);
        return b.build();
    }

    /** The usual four-way close: A closes first (TIME_WAIT), B passes through CLOSE_WAIT and LAST_ACK. */
    static Script normalClose() {
        Builder b = new Builder("normal-close", ESTABLISHED, ESTABLISHED);
        int fin = b.send(A, FIN_WAIT1, seg(A, 500, 900, DELIVERED, FIN, ACK));
        int ack = b.receiveAndSend(B, fin, CLOSE_WAIT, seg(B, 900, 501, DELIVERED, ACK));
        b.receive(A, ack, FIN_WAIT2);
        int finB = b.send(B, LAST_ACK, seg(B, 900, 501, DELIVERED, FIN, ACK));
        int last = b.receiveAndSend(A, finB, TIME_WAIT, seg(A, 501, 901, DELIVERED, ACK));
        b.receive(B, last, CLOSED);
        b.local(A, CLOSED);
        return b.build();
    }

    /** Both sides close at once: FIN_WAIT1 → CLOSING → TIME_WAIT on both. */
    static Script simultaneousClose() {
        Builder b = new Builder("simultaneous-close", ESTABLISHED, ESTABLISHED);
        int finA = b.send(A, FIN_WAIT1, seg(A, 500, 900, DELIVERED, FIN, ACK));
        int finB = b.send(B, FIN_WAIT1, seg(B, 900, 500, DELIVERED, FIN, ACK));
        int ackA = b.receiveAndSend(A, finB, CLOSING, seg(A, 501, 901, DELIVERED, ACK));
        int ackB = b.receiveAndSend(B, finA, CLOSING, seg(B, 901, 501, DELIVERED, ACK));
        b.receive(A, ackB, TIME_WAIT);
        b.receive(B, ackA, TIME_WAIT);
        b.local(A, CLOSED);
        b.local(B, CLOSED);
        return b.build();
    }

    /** The final ACK is lost: B retransmits its FIN, and A, still in TIME_WAIT, can answer it. */
    static Script lostFinalAck() {
        Builder b = new Builder("lost-final-ack", ESTABLISHED, ESTABLISHED);
        int fin = b.send(A, FIN_WAIT1, seg(A, 500, 900, DELIVERED, FIN, ACK));
        int ack = b.receiveAndSend(B, fin, CLOSE_WAIT, seg(B, 900, 501, DELIVERED, ACK));
        b.receive(A, ack, FIN_WAIT2);
        int finB = b.send(B, LAST_ACK, seg(B, 900, 501, DELIVERED, FIN, ACK));
        b.receiveAndSend(A, finB, TIME_WAIT, seg(A, 501, 901, LOST, ACK));
        int again = b.send(B, LAST_ACK, seg(B, 900, 501, DELIVERED, FIN, ACK)); // retransmission timer fired
        int ack2 = b.receiveAndSend(A, again, TIME_WAIT, seg(A, 501, 901, DELIVERED, ACK)); // 2MSL timer restarts
        b.receive(B, ack2, CLOSED);
        b.local(A, CLOSED);
        return b.build();
    }

    /** A delayed old duplicate arrives while A still holds the 4-tuple in TIME_WAIT, and is discarded. */
    static Script straySegment() {
        Builder b = new Builder("stray-segment", ESTABLISHED, ESTABLISHED);
        int old = b.send(B, ESTABLISHED, seg(B, 700, 500, DELAYED, DATA, ACK));
        int resent = b.send(B, ESTABLISHED, seg(B, 700, 500, DELIVERED, DATA, ACK));
        int ackData = b.receiveAndSend(A, resent, ESTABLISHED, seg(A, 500, 900, DELIVERED, ACK));
        b.receive(B, ackData, ESTABLISHED);
        int fin = b.send(A, FIN_WAIT1, seg(A, 500, 900, DELIVERED, FIN, ACK));
        int ack = b.receiveAndSend(B, fin, CLOSE_WAIT, seg(B, 900, 501, DELIVERED, ACK));
        b.receive(A, ack, FIN_WAIT2);
        int finB = b.send(B, LAST_ACK, seg(B, 900, 501, DELIVERED, FIN, ACK));
        int last = b.receiveAndSend(A, finB, TIME_WAIT, seg(A, 501, 901, DELIVERED, ACK));
        b.receive(B, last, CLOSED);
        b.receive(A, old, TIME_WAIT); // the old duplicate: outside the window, dropped
        b.local(A, CLOSED);
        return b.build();
    }

    private static Segment seg(Host from, long seq, long ack, Segment.Fate fate, Segment.Flag... flags) {
        return new Segment(-1, from, List.of(flags), seq, ack, fate);
    }

    /** Builds a script step by step; the other host's state carries over. */
    private static final class Builder {
        final String id;
        final TcpState initialA, initialB;
        TcpState a, b;
        final List<Step> steps = new ArrayList<>();
        int nextSegment = 1;

        Builder(String id, TcpState a, TcpState b) {
            this.id = id;
            this.initialA = a;
            this.initialB = b;
            this.a = a;
            this.b = b;
        }

        int send(Host actor, TcpState next, Segment s) {
            return add(actor, -1, s, next);
        }

        int receiveAndSend(Host actor, int receives, TcpState next, Segment s) {
            return add(actor, receives, s, next);
        }

        void receive(Host actor, int receives, TcpState next) {
            add(actor, receives, null, next);
        }

        void local(Host actor, TcpState next) {
            add(actor, -1, null, next);
        }

        int add(Host actor, int receives, Segment s, TcpState next) {
            Segment numbered = s == null ? null
                    : new Segment(nextSegment++, s.from(), s.flags(), s.seq(), s.ack(), s.fate());
            if (actor == A) a = next;
            else b = next;
            steps.add(new Step(actor, receives, numbered, a, b, "script." + id + "." + (steps.size() + 1)));
            return numbered == null ? -1 : numbered.id();
        }

        Script build() {
            return new Script(id, initialA, initialB, steps);
        }
    }
}
