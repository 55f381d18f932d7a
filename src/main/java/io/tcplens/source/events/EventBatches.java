package io.tcplens.source.events;

import com.carrotsearch.hppc.LongObjectHashMap;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;

/**
 * The window's kernel-events program: IPv4 events written by the kernel {@value #PER_LINE} to a line instead of one a
 * line, and what reads its lines back.
 *
 * <p>Why: bpftrace 0.17 spends 7–11 µs of its own CPU on each printf record it reads from the kernel's perf buffer,
 * whatever the record holds (measured here: a bare {@code printf("E\n")} cost as much as the full event line), and
 * each record wakes it, at a cost to the process whose socket changed state too. At the burst table's remake (28k
 * connections in a second, ~280k changes) that was 0.10–0.13 s of bpftrace per second of the window, and about half
 * the events lost. Written {@value #PER_LINE} to a record a burst costs bpftrace 1.3–2.3 µs an event, and none is lost
 * ({@code EventsCostBenchmark -Dburst}).
 *
 * <p>How: each CPU keeps its events in BPF maps keyed by CPU and place ({@code @t} time, {@code @a} the two IPv4
 * addresses, {@code @p} states, process id and ports, packed) and prints them, as {@code "B cpu t a p t a p …"} (hex),
 * when {@value #PER_LINE} are held, and before it goes idle (tracepoint {@code power:cpu_idle}) or writes its
 * heartbeat (the {@code profile} probe, every {@value BpftraceEvents#HEARTBEAT_MS} ms on a busy CPU). So an event
 * waits at most a heartbeat, a CPU never idles with events held, and a heartbeat read from a CPU still means every
 * event that CPU had before it has been read (the feed's catch-up rule). The kernel never runs two of these
 * programs at once on one CPU (a run nested in another is skipped, and counted: {@link ProbeMisses}), so a CPU's
 * places are its own. A held part is printed in lines of 8, 4, 2 and 1 events (a line's argument count is fixed).
 *
 * <p>A connect()'s CLOSE → SYN_SENT change comes before the kernel picks the local port: the program holds it
 * by socket address ({@code @heldt}, {@code @heldp}, {@code @heldc}) and writes it with the socket's next change,
 * with that change's ports, on that change's CPU (a change written alone, as below, writes a held connect() alone first, with
 * its 4-tuple, as the per-event feed pairs them). Process names are not repeated per event: a change made by a
 * process (see {@link EventColumns#processContext}) writes {@code "P cpu pid comm"} when the name that CPU last wrote for
 * that process is not its name now ({@code @named}: how many names that CPU wrote for the process; {@code @seen}: at which
 * of them it wrote this name; both cleared every {@value #SEEN_CLEAR_S} s, which then writes {@code "C nsecs"}; a
 * process renamed and back is named again each time; numbers, not names, are compared: a name's 16 bytes more on the
 * BPF stack took the program past its 512 bytes), after the
 * events that CPU held and before the event: in each CPU's order, an event's name is the one its CPU last wrote for
 * its process id. A change of an IPv6 socket whose two addresses are v4-mapped (a dual-stack socket, as Java's
 * are) is written as IPv4, the 4-tuple the per-event feed gives it; any other IPv6 change is written alone, as
 * the per-event program writes it.
 *
 * <p>Used when the feed keeps no socket details (the window); {@code record}, {@code events} and {@code lifetimes},
 * which keep each socket's address and byte counters, use the per-event program. Needs the tracepoint
 * {@code power:cpu_idle} ({@link EventSupport#idleTracepoint()}); without it the feed writes an event a line.
 * Not thread-safe: the feed's reader thread owns the names.
 */
final class EventBatches {
    /** Events written in one full line. */
    static final int PER_LINE = 16;
    /** Seconds between clears of the kernel's "process named on this CPU" map. */
    static final int SEEN_CLEAR_S = 10;

    /** A process's name as a CPU named it, with the clear generation of that naming. */
    private record Named(String comm, int generation) {}

    private final LongObjectHashMap<Named> names = new LongObjectHashMap<>();
    private int generation;

    /** The name line's CPU and process id named {@code comm} (a {@code P} line). */
    void named(int cpu, int pid, String comm) {
        names.put(key(cpu, pid), new Named(comm, generation));
    }

    /**
     * The kernel cleared its map of names written (a {@code C} line). A name not written again in the two
     * generations since it was cannot be needed: after two clears the kernel writes it again before any event
     * that uses it. (A clear runs in bpftrace, after the line before it was printed; the {@code C} line follows it.)
     */
    void cleared() {
        generation++;
        int stale = generation - 2;
        names.removeAll((k, v) -> v.generation() <= stale);
    }

    /** The name for an event of {@code pid} read from {@code cpu}'s line, or null when none was written. */
    String name(int cpu, int pid) {
        Named n = names.get(key(cpu, pid));
        return n == null ? null : n.comm();
    }

    /** Names held (for the tests). */
    int namesHeld() {
        return names.size();
    }

    private static long key(int cpu, int pid) {
        return (long) cpu << 32 | (pid & 0xffff_ffffL);
    }

    /**
     * One event of a {@code B} line ({@code t}: nsecs; {@code a}: source address {@code << 32} | destination;
     * {@code p}: old state {@code << 60} | new state {@code << 56} | pid {@code << 32} | source port {@code << 16} |
     * destination port) into {@code f}, its name from {@code cpu}'s; false when the states are not TCP's.
     */
    boolean event(int cpu, long t, long a, long p, EventBytes.Fields f) {
        KernelTcpState from = KernelTcpState.fromCode((int) (p >>> 60) & 0xf).orElse(null);
        KernelTcpState to = KernelTcpState.fromCode((int) (p >>> 56) & 0xf).orElse(null);
        if (from == null || to == null) return false;
        int pid = (int) (p >>> 32) & 0xff_ffff;
        f.mono = t;
        f.skaddr = 0;
        f.acked = KernelTransition.UNKNOWN_BYTES;
        f.received = KernelTransition.UNKNOWN_BYTES;
        f.from = from;
        f.to = to;
        f.v4 = true;
        f.src = (int) (a >>> 32);
        f.dst = (int) a;
        f.sport = (int) (p >>> 16) & 0xffff;
        f.dport = (int) p & 0xffff;
        f.key = null;
        f.pid = pid;
        f.comm = EventColumns.processContext(from, to) ? name(cpu, pid) : null;
        return true;
    }

    /** The program (the per-event one's filter). */
    static String program(String filter) {
        StringBuilder s = new StringBuilder(24_576);
        String ports = "((uint64)args->sport << 16) | (uint64)args->dport";
        String states = "((uint64)args->oldstate << 60) | ((uint64)args->newstate << 56)";
        s.append("tracepoint:sock:inet_sock_set_state /").append(filter).append("/ {\n");
        // a connect() before its port (any family): held until the socket's next change, written with it
        s.append("  if (args->newstate == 2 && args->sport == 0) {\n");
        s.append("    @heldt[args->skaddr] = nsecs;\n");
        s.append("    @heldp[args->skaddr] = ").append(states).append(" | ((uint64)pid << 32);\n");
        s.append("    @heldc[args->skaddr] = comm;\n");
        s.append("  } else {\n");
        s.append("    $ht = @heldt[args->skaddr];\n");
        s.append("    if ($ht != 0) {\n");
        // (read only for a socket with a connect() held: every change of every socket in the namespace runs this)
        s.append("      $hp = @heldp[args->skaddr];\n");
        s.append("      $hpid = (uint32)(($hp >> 32) & 0xffffff);\n");
        s.append("      $hc = @heldc[args->skaddr];\n");
        s.append("      delete(@heldt[args->skaddr]);\n");
        s.append("      delete(@heldp[args->skaddr]);\n");
        s.append("      delete(@heldc[args->skaddr]);\n");
        s.append("    }\n");
        // IPv4, or IPv6 with both addresses v4-mapped (a dual-stack socket: Java's, for one): batched, as IPv4
        // (read from the socket, as the tracepoint copies them: indexing the tracepoint's byte arrays this many times
        // made the compiler walk them with a pointer into the context, which the verifier refuses)
        String s6 = "((struct sock *)args->skaddr)->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32";
        String d6 = "((struct sock *)args->skaddr)->__sk_common.skc_v6_daddr.in6_u.u6_addr32";
        s.append("    $m = 0;\n");
        s.append("    $a = (uint64)0;\n");
        s.append("    if (args->family == 10) {\n");
        s.append("      if (").append(s6).append("[2] == 0xffff0000 && ").append(d6).append("[2] == 0xffff0000 && ")
                .append(s6).append("[0] == 0 && ").append(s6).append("[1] == 0 && ").append(d6).append("[0] == 0 && ")
                .append(d6).append("[1] == 0) {\n");
        s.append("        $m = 1;\n");
        s.append("        $a = ((uint64)bswap(").append(s6).append("[3]) << 32) | (uint64)bswap(").append(d6).append("[3]);\n");
        s.append("      }\n");
        s.append("    }\n");
        s.append("    if (args->family == 2 || $m) {\n");
        s.append("      if (!$m) {\n");
        ipv4Addresses(s, "        ");
        s.append("      }\n");
        s.append("      $pc = args->newstate == 2 || args->newstate == 10 || args->newstate == 4 || args->newstate == 9")
                .append(" || (args->newstate == 7 && args->oldstate == 10);\n");
        s.append("      if ($ht != 0) {\n");
        s.append("        $q = @named[cpu, $hpid];\n");
        s.append("        if ($q == 0 || @seen[cpu, $hpid, $hc] != $q) {\n");
        heldBeforeName(s, "          ");
        s.append("          printf(\"P %d %d %s\\n\", cpu, $hpid, $hc);\n");
        s.append("          @named[cpu, $hpid] = $q + 1;\n");
        s.append("          @seen[cpu, $hpid, $hc] = $q + 1;\n");
        s.append("        }\n");
        append(s, "$ht", "$hp | " + ports, "        ");
        s.append("      }\n");
        s.append("      $q = @named[cpu, (uint32)pid];\n");
        s.append("      if ($pc && ($q == 0 || @seen[cpu, (uint32)pid, comm] != $q)) {\n");
        heldBeforeName(s, "        ");
        s.append("        printf(\"P %d %d %s\\n\", cpu, (uint32)pid, comm);\n");
        s.append("        @named[cpu, (uint32)pid] = $q + 1;\n");
        s.append("        @seen[cpu, (uint32)pid, comm] = $q + 1;\n");
        s.append("      }\n");
        append(s, "nsecs", states + " | ((uint64)pid << 32) | " + ports, "      ");
        s.append("    } else {\n");
        // any other change is written alone, as the per-event program writes it; a held connect() first, with
        // this change's 4-tuple (the per-event feed gives a held connect the port its next change names)
        s.append("      if ($ht != 0) {\n");
        s.append("        ").append(BpftraceEvents.eventLine("$ht", "($hp >> 60) & 0xf", "($hp >> 56) & 0xf", "$hpid", "0", "0", "$hc"))
                .append("\n");
        s.append("      }\n");
        s.append("      ").append(BpftraceEvents.eventLine("nsecs", "args->oldstate", "args->newstate", "pid",
                "((struct tcp_sock *)args->skaddr)->bytes_acked", "((struct tcp_sock *)args->skaddr)->bytes_received", "comm"))
                .append("\n");
        s.append("    }\n");
        s.append("  }\n");
        s.append("}\n");
        s.append("profile:ms:").append(BpftraceEvents.HEARTBEAT_MS).append(" {\n");
        s.append("  if (@n[cpu] > 0) {\n");
        held(s, "    ");
        s.append("  }\n");
        s.append("  printf(\"H %llu %d\\n\", nsecs, cpu);\n");
        s.append("}\n");
        s.append("tracepoint:power:cpu_idle /args->state != 4294967295 && @n[cpu] > 0/ {\n");
        held(s, "  ");
        s.append("}\n");
        s.append("interval:s:").append(SEEN_CLEAR_S).append(" {\n");
        s.append("  clear(@seen);\n");
        s.append("  clear(@named);\n");
        s.append("  printf(\"C %llu\\n\", nsecs);\n");
        s.append("}\n");
        // (at exit bpftrace prints every map left: nothing to print)
        s.append("END {\n");
        for (String m : new String[] {"@seen", "@named", "@heldt", "@heldp", "@heldc", "@n", "@t", "@a", "@p"})
            s.append("  clear(").append(m).append(");\n");
        s.append("}\n");
        return s.toString();
    }

    /** {@code $a}: an IPv4 socket's source address (the tracepoint's 4 bytes) {@code << 32} | its destination's. */
    private static void ipv4Addresses(StringBuilder s, String in) {
        s.append(in).append("$a = ");
        for (int i = 0; i < 8; i++) {
            if (i > 0) s.append(" | ");
            s.append("((uint64)args->").append(i < 4 ? "saddr" : "daddr").append('[').append(i % 4).append("] << ")
                    .append(56 - 8 * i).append(')');
        }
        s.append(";\n");
    }

    /** Puts an event in this CPU's places; a full set is printed at once. */
    private static void append(StringBuilder s, String t, String p, String in) {
        s.append(in).append("$i = @n[cpu];\n");
        s.append(in).append("@t[cpu, $i] = ").append(t).append(";\n");
        s.append(in).append("@a[cpu, $i] = $a;\n");
        s.append(in).append("@p[cpu, $i] = ").append(p).append(";\n");
        s.append(in).append("@n[cpu] = $i + 1;\n");
        s.append(in).append("if ($i + 1 >= ").append(PER_LINE).append(") {\n");
        line(s, PER_LINE, null, in + "  ");
        s.append(in).append("  @n[cpu] = 0;\n");
        s.append(in).append("}\n");
    }

    /**
     * Before a name line, the events this CPU holds: they came before it, and may be the same process under its
     * name before (a process renamed, or exec'd, between two of its changes: the test saw a listen() named by the
     * name its process took after it, when the CPU had not idled in between).
     */
    private static void heldBeforeName(StringBuilder s, String in) {
        s.append(in).append("if (@n[cpu] > 0) {\n");
        held(s, in + "  ");
        s.append(in).append("}\n");
    }

    /** Prints the events this CPU holds (fewer than a full line) in lines of 8, 4, 2 and 1. */
    private static void held(StringBuilder s, String in) {
        s.append(in).append("$n = @n[cpu];\n");
        s.append(in).append("$o = 0;\n");
        for (int size = PER_LINE / 2; size >= 1; size /= 2) {
            s.append(in).append("if ($n & ").append(size).append(") {\n");
            line(s, size, "$o", in + "  ");
            s.append(in).append("  $o = $o + ").append(size).append(";\n");
            s.append(in).append("}\n");
        }
        s.append(in).append("@n[cpu] = 0;\n");
    }

    private static void line(StringBuilder s, int size, String offset, String in) {
        s.append(in).append("printf(\"B %d");
        for (int i = 0; i < size; i++) s.append(" %llx %llx %llx");
        s.append("\\n\", cpu");
        for (int i = 0; i < size; i++) {
            String k = offset == null ? Integer.toString(i) : offset + " + " + i;
            s.append(", @t[cpu, ").append(k).append("], @a[cpu, ").append(k).append("], @p[cpu, ").append(k).append(']');
        }
        s.append(");\n");
    }
}
