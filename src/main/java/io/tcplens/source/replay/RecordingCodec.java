package io.tcplens.source.replay;

import io.tcplens.common.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TimeWaitDuration;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The JSON of a {@code .tcplens} file, one object per line (the file is gzip-compressed).
 *
 * <pre>
 * line 1  {"magic":"tcplens-recording","format":1,"created":…,"source":{kind,name,description},
 *          "timeWait":{ms,origin},"tool":"TcpLens …","keyframeEvery":N}
 * then    {"t":EPOCH_MS,"z":OFFSET,"full":[SOCKET…]}           a keyframe: the whole table, starting a gzip
 *                                                              member at file offset z (optional)
 *    or   {"t":EPOCH_MS,"put":[SOCKET…],"del":[KEY…]}          a diff against the previous record
 *         optional "w":[warnings…] and "src":{…} (only when the source differs from the header's)
 * SOCKET  [localHost,localPort,remoteHost,remotePort,state,kernelState,sendQ,recvQ,timer,timerDue,
 *          retransmits,uid,inode,pid,process,ownerLastKnown(0|1)[,cookie][,EXTRA]]
 *         cookie (the kernel's socket cookie, unsigned, as a decimal string) only when the source had one;
 *         files without it (older TcpLens, /proc) read as before
 * KEY     [localHost,localPort,remoteHost,remotePort(,EXTRA)]
 * EXTRA   {"lz":ZONE,"rz":ZONE,"o":OWNERS}   format 2, only when set (each member only when set)
 * ZONE    [ifIndex,ifName|null]   the interface a link-local (or SO_BINDTODEVICE) socket is tied to
 * OWNERS  [[pid,name|null]…]      every process holding a socket several processes hold (SOCKET only)
 * </pre>
 * Format 2 added EXTRA: a link-local 4-tuple on two interfaces is two connections, and replay shows
 * {@code [fe80::1%veth0]} as the live source did. Format 1 files (no EXTRA) are still read.
 * A diff's "put" holds every row of each 4-tuple that changed (a 4-tuple can have several rows, e.g.
 * SO_REUSEPORT listeners), which replace that 4-tuple's rows. Timers are stored as their due time
 * ({@code t + remaining}) so a TIME_WAIT socket whose expiry does not move is not written again.
 */
final class RecordingCodec {
    static final String MAGIC = "tcplens-recording";
    static final int FORMAT_VERSION = 2;
    /** Reading limits: a damaged or hostile file is an error, not an endless parse or a deep recursion. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16).maxNumberLength(40).maxStringLength(1 << 20).maxNameLength(256).build())
            .build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RecordingCodec() {}
    // a keyframe may carry "z": the file offset of the gzip member it starts (for seeking)

    static ObjectNode header(RecordingHeader h) {
        ObjectNode n = F.objectNode();
        n.put("magic", MAGIC);
        n.put("format", h.format());
        n.put("created", h.createdMillis());
        n.set("source", source(h.source()));
        ObjectNode tw = n.putObject("timeWait");
        tw.put("ms", h.timeWait().millis());
        tw.put("origin", h.timeWait().origin());
        n.put("tool", h.tool());
        n.put("keyframeEvery", h.keyframeEvery());
        return n;
    }

    static ObjectNode source(SourceInfo s) {
        ObjectNode n = F.objectNode();
        n.put("kind", s.kind().name());
        n.put("name", s.name());
        n.put("description", s.description());
        return n;
    }

    /** Reads the header line; throws with a clear reason when the line is not one. */
    static RecordingHeader readHeader(JsonNode n) throws RecordingFormatException {
        if (n == null || !n.isObject() || !MAGIC.equals(n.path("magic").asText(null)))
            throw new RecordingFormatException("not a TcpLens recording (no \"" + MAGIC + "\" header)");
        int format = n.path("format").asInt(-1);
        if (format < 1) throw new RecordingFormatException("TcpLens recording header has no valid format version");
        if (format > FORMAT_VERSION)
            throw new RecordingFormatException("recording format " + format + " is newer than this TcpLens reads ("
                    + FORMAT_VERSION + "); update TcpLens");
        try {
            SourceInfo src = readSource(n.get("source"));
            JsonNode tw = n.path("timeWait");
            TimeWaitDuration timeWait = tw.has("ms")
                    ? new TimeWaitDuration(tw.get("ms").asLong(), tw.path("origin").asText(""))
                    : TimeWaitDuration.LINUX;
            return new RecordingHeader(format, n.path("created").asLong(0), src, timeWait,
                    n.path("tool").asText(""), n.path("keyframeEvery").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new RecordingFormatException("TcpLens recording header is damaged: " + e.getMessage());
        }
    }

    static SourceInfo readSource(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("no source");
        return new SourceInfo(SourceInfo.Kind.valueOf(n.path("kind").asText()), text(n, "name"), text(n, "description"));
    }

    static ArrayNode socket(SocketEntry e, long t) {
        return socket(e, t, List.of());
    }

    /** The row, with {@code holders} (every process holding it, when several do) in its EXTRA. */
    static ArrayNode socket(SocketEntry e, long t, List<SocketHolders.Holder> holders) {
        ArrayNode a = F.arrayNode(16);
        key(a, e.key());
        a.add(e.state().name());
        if (e.kernelState() == null) a.addNull(); else a.add(e.kernelState().name());
        a.add(e.sendQueue());
        a.add(e.receiveQueue());
        if (e.timer() == null) a.addNull(); else a.add(e.timer().name());
        if (!e.hasTimerTime()) a.addNull(); else a.add(e.timerDueAt(t));
        a.add(e.retransmits());
        a.add(e.uid());
        a.add(e.inode());
        if (e.pid() == null) a.addNull(); else a.add(e.pid());
        if (e.process() == null) a.addNull(); else a.add(e.process());
        a.add(e.ownerLastKnown() ? 1 : 0);
        if (e.hasCookie()) a.add(Long.toUnsignedString(e.cookie()));
        ObjectNode x = extra(e.key(), holders);
        if (x != null) a.add(x);
        return a;
    }

    /**
     * Writes one record line's object straight to {@code out} (a record's table as a tree cost an object per value: at
     * 100k rows a keyframe's tree was an object per value): {@code {"t":…[,"z":…],"full"|"put","del"[,"w"]
     * [,"src"][,"ev"]}}, the same text as the tree written by {@link #MAPPER}. No newline; {@code out}
     * is neither flushed nor closed.
     */
    static void writeRecord(OutputStream out, Snapshot s, TableDiff.Changes changes, long member,
                            SourceInfo src, EventBatch events) throws IOException {
        try (JsonGenerator g = STREAM.createGenerator(out)) {
            long t = s.timestampMillis();
            g.writeStartObject();
            g.writeNumberField("t", t);
            if (member >= 0) g.writeNumberField("z", member);
            SocketHolders holders = s.holders();
            char[] buf = new char[20]; // addresses and cookies as text without a String each
            if (changes == null) {
                g.writeArrayFieldStart("full");
                for (SocketEntry e : s.sockets()) writeSocket(g, e, t, holders.of(e.inode()), buf);
                g.writeEndArray();
            } else {
                g.writeArrayFieldStart("put");
                for (SocketEntry e : changes.put()) writeSocket(g, e, t, holders.of(e.inode()), buf);
                g.writeEndArray();
                g.writeArrayFieldStart("del");
                for (ConnectionKey k : changes.del()) {
                    g.writeStartArray();
                    writeKey(g, k, buf);
                    ObjectNode x = extra(k);
                    if (x != null) g.writeTree(x);
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            if (!s.warnings().isEmpty()) {
                g.writeArrayFieldStart("w");
                for (String w : s.warnings()) g.writeString(w);
                g.writeEndArray();
            }
            if (src != null) {
                g.writeFieldName("src");
                g.writeTree(source(src));
            }
            if (events != null) {
                g.writeFieldName("ev");
                g.writeTree(events(events));
            }
            g.writeEndObject();
        }
    }

    /** Generators for {@link #writeRecord}: the target stream is left open and unflushed (the writer flushes per line). */
    private static final JsonFactory STREAM = MAPPER.getFactory().copy()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)
            .setCodec(MAPPER);

    /** {@link #socket(SocketEntry, long, List)} written straight to a generator. */
    private static void writeSocket(JsonGenerator g, SocketEntry e, long t, List<SocketHolders.Holder> holders,
                                    char[] buf) throws IOException {
        g.writeStartArray();
        writeKey(g, e.key(), buf);
        g.writeString(e.state().name());
        if (e.kernelState() == null) g.writeNull(); else g.writeString(e.kernelState().name());
        g.writeNumber(e.sendQueue());
        g.writeNumber(e.receiveQueue());
        if (e.timer() == null) g.writeNull(); else g.writeString(e.timer().name());
        if (!e.hasTimerTime()) g.writeNull(); else g.writeNumber(e.timerDueAt(t));
        g.writeNumber(e.retransmits());
        g.writeNumber(e.uid());
        g.writeNumber(e.inode());
        if (e.pid() == null) g.writeNull(); else g.writeNumber(e.pid().intValue());
        if (e.process() == null) g.writeNull(); else g.writeString(e.process());
        g.writeNumber(e.ownerLastKnown() ? 1 : 0);
        if (e.hasCookie()) writeUnsigned(g, e.cookie(), buf);
        ObjectNode x = extra(e.key(), holders);
        if (x != null) g.writeTree(x);
        g.writeEndArray();
    }

    private static void writeKey(JsonGenerator g, ConnectionKey k, char[] buf) throws IOException {
        writeHost(g, k.local().address(), buf);
        g.writeNumber(k.local().port());
        writeHost(g, k.remote().address(), buf);
        g.writeNumber(k.remote().port());
    }

    /**
     * {@link Endpoint#host()}'s text, an IPv4 address's written from its number without a String (the
     * incident recorder writes two per changed row every poll: 24 MB a minute of address text at 100k).
     */
    static void writeHost(JsonGenerator g, InetAddress a, char[] buf) throws IOException {
        if (!(a instanceof Inet4Address)) {
            g.writeString(Addresses.format(a));
            return;
        }
        int v = a.hashCode(); // an Inet4Address's hash code is its address (as Addresses.compare reads it)
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = (v >>> shift) & 0xff;
            if (b >= 100) buf[n++] = (char) ('0' + b / 100);
            if (b >= 10) buf[n++] = (char) ('0' + b / 10 % 10);
            buf[n++] = (char) ('0' + b % 10);
            if (shift > 0) buf[n++] = '.';
        }
        g.writeString(buf, 0, n);
    }

    /** {@link Long#toUnsignedString(long)} as a JSON string, without a String for the common (non-negative) values. */
    static void writeUnsigned(JsonGenerator g, long v, char[] buf) throws IOException {
        if (v < 0) {
            g.writeString(Long.toUnsignedString(v));
            return;
        }
        int n = buf.length;
        do {
            buf[--n] = (char) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        g.writeString(buf, n, buf.length - n);
    }

    static ArrayNode key(ConnectionKey k) {
        ArrayNode a = F.arrayNode(4);
        key(a, k);
        ObjectNode x = extra(k);
        if (x != null) a.add(x);
        return a;
    }

    /**
     * A row's EXTRA: the 4-tuple's zones and, when several processes hold the socket, every holder
     * ("o"); null when there is neither (the common case: nothing is written).
     */
    private static ObjectNode extra(ConnectionKey k, List<SocketHolders.Holder> holders) {
        ObjectNode x = extra(k);
        if (holders.size() > 1) {
            if (x == null) x = F.objectNode();
            ArrayNode o = x.putArray("o");
            for (SocketHolders.Holder h : holders) {
                ArrayNode one = o.addArray();
                one.add(h.pid());
                if (h.name() == null) one.addNull(); else one.add(h.name());
            }
        }
        return x;
    }

    /** The 4-tuple's zones, or null when neither endpoint has one (the common case: nothing is written). */
    private static ObjectNode extra(ConnectionKey k) {
        if (k.local().ifIndex() == 0 && k.remote().ifIndex() == 0) return null;
        ObjectNode x = F.objectNode();
        if (k.local().ifIndex() != 0) x.set("lz", zone(k.local()));
        if (k.remote().ifIndex() != 0) x.set("rz", zone(k.remote()));
        return x;
    }

    private static ArrayNode zone(Endpoint e) {
        ArrayNode z = F.arrayNode(2);
        z.add(e.ifIndex());
        if (e.ifName() == null) z.addNull(); else z.add(e.ifName());
        return z;
    }

    private static void key(ArrayNode a, ConnectionKey k) {
        a.add(k.local().host());
        a.add(k.local().port());
        a.add(k.remote().host());
        a.add(k.remote().port());
    }

    /**
     * Decodes a SOCKET array; throws IllegalArgumentException naming what is wrong. With {@code t = 0}
     * the entry's timerRemainingMs holds the absolute due time (see {@link Recording}).
     */
    static SocketEntry readSocket(JsonNode a, long t) {
        if (a == null || !a.isArray() || a.size() < 16 || a.size() > 18)
            throw new IllegalArgumentException("socket row is not an array of 16 values (then a cookie, zones or owners)");
        JsonNode cookieNode = a.size() > 16 && !a.get(16).isObject() ? a.get(16) : null;
        if (a.size() == 18 && (cookieNode == null || !a.get(17).isObject()))
            throw new IllegalArgumentException("socket row of 18 values is not 16 values, a cookie and zones or owners");
        ConnectionKey key = readKey(a, socketExtra(a));
        TcpState state = TcpState.valueOf(a.get(4).asText());
        KernelTcpState ks = a.get(5).isNull() ? null : KernelTcpState.valueOf(a.get(5).asText());
        TimerKind timer = a.get(8).isNull() ? null : TimerKind.valueOf(a.get(8).asText());
        Long remaining = a.get(9).isNull() ? null : number(a.get(9)) - t;
        Integer pid = a.get(13).isNull() ? null : (int) number(a.get(13), "pid", 0, Integer.MAX_VALUE);
        String process = a.get(14).isNull() ? null : a.get(14).asText();
        // -1: the source could not tell (SocketEntry.UNKNOWN_QUEUE, e.g. a listener's backlog on /proc)
        return new SocketEntry(key, state, ks, number(a.get(6), "send queue", SocketEntry.UNKNOWN_QUEUE, MAX_U32),
                number(a.get(7), "receive queue", SocketEntry.UNKNOWN_QUEUE, MAX_U32), timer, remaining,
                (int) number(a.get(10), "retransmits", 0, SocketEntry.MAX_RETRANSMITS),
                (int) number(a.get(11), "uid", Integer.MIN_VALUE, Integer.MAX_VALUE), number(a.get(12), "inode", 0, MAX_U32),
                pid, process, number(a.get(15), "owner flag", 0, 1) != 0, false, cookieNode != null ? cookie(cookieNode) : SocketEntry.NO_COOKIE,
                null);
    }

    private static long cookie(JsonNode n) {
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("cookie: expected a decimal string, got " + shown(n));
        try {
            return Long.parseUnsignedLong(n.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cookie: not an unsigned 64-bit number: " + shown(n));
        }
    }

    /** The holders in a SOCKET array's EXTRA (format 2), or an empty list. */
    static List<SocketHolders.Holder> readHolders(JsonNode a) {
        JsonNode x = socketExtra(a);
        JsonNode o = x == null || !x.isObject() ? null : x.get("o");
        if (o == null || o.isNull()) return List.of();
        if (!o.isArray() || o.size() > 100_000) throw new IllegalArgumentException("owners are not an array");
        List<SocketHolders.Holder> out = new ArrayList<>(o.size());
        for (JsonNode h : o) {
            if (!h.isArray() || h.size() != 2) throw new IllegalArgumentException("an owner is not [pid, name]: " + shown(h));
            out.add(new SocketHolders.Holder((int) number(h.get(0), "pid", 0, Integer.MAX_VALUE), h.get(1).isNull() ? null : h.get(1).asText()));
        }
        return out;
    }

    /** A SOCKET array's EXTRA (format 2): its last value when that is an object (after the cookie, if any); else null. */
    private static JsonNode socketExtra(JsonNode a) {
        if (a == null || !a.isArray() || a.size() <= 16) return null;
        JsonNode last = a.get(a.size() - 1);
        return last.isObject() ? last : null;
    }

    static ConnectionKey readKey(JsonNode a) {
        if (a == null || !a.isArray() || (a.size() != 4 && a.size() != 5))
            throw new IllegalArgumentException("4-tuple is not an array of 4 values (5 with zones)");
        return readKey(a, a.get(4));
    }

    private static ConnectionKey readKey(JsonNode a, JsonNode extra) {
        if (extra != null && !extra.isObject()) throw new IllegalArgumentException("zones are not an object: " + shown(extra));
        return new ConnectionKey(endpoint(a.get(0), a.get(1), extra == null ? null : extra.get("lz")),
                endpoint(a.get(2), a.get(3), extra == null ? null : extra.get("rz")));
    }

    private static Endpoint endpoint(JsonNode host, JsonNode port, JsonNode zone) {
        InetAddress address = address(host);
        int p = (int) number(port, "port", 0, Ports.MAX);
        if (zone == null || zone.isNull()) return new Endpoint(address, p);
        if (!zone.isArray() || zone.size() != 2) throw new IllegalArgumentException("zone is not [ifIndex, ifName]: " + shown(zone));
        int index = (int) number(zone.get(0), "interface index", 1, Integer.MAX_VALUE);
        JsonNode name = zone.get(1);
        if (!name.isNull() && (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > 64))
            throw new IllegalArgumentException("interface name is not a short text: " + shown(name));
        return new Endpoint(address, p, index, name.isNull() ? null : name.asText());
    }

    /**
     * A poll's kernel events (optional "ev" of a record; readers that do not know it skip it):
     * {@code {"ok":COMPLETE,"lost":N,"e":[[localHost,localPort,remoteHost,remotePort,socketHex,from,to,
     * atMillis,monoNanos,pid,comm,txBytes,rxBytes]…]}} with kernel state names.
     */
    static ObjectNode events(EventBatch b) {
        ObjectNode n = F.objectNode();
        n.put("ok", b.complete());
        n.put("lost", b.lost());
        ArrayNode e = n.putArray("e");
        for (KernelTransition t : b.transitions()) {
            ArrayNode a = e.addArray();
            key(a, t.key());
            a.add(Long.toHexString(t.socketId()));
            a.add(t.from().name());
            a.add(t.to().name());
            a.add(t.atMillis());
            a.add(t.monoNanos());
            if (t.pid() == null) a.addNull();
            else a.add(t.pid());
            if (t.comm() == null) a.addNull();
            else a.add(t.comm());
            a.add(t.txBytes());
            a.add(t.rxBytes());
        }
        return n;
    }

    /** Decodes a record's "ev"; throws IllegalArgumentException naming what is wrong. */
    static EventBatch readEvents(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("\"ev\" is not an object");
        JsonNode e = n.get("e");
        if (e == null || !e.isArray()) throw new IllegalArgumentException("\"ev\" has no event array");
        List<KernelTransition> out = new ArrayList<>(e.size());
        for (JsonNode a : e) {
            if (!a.isArray() || a.size() != 13) throw new IllegalArgumentException("an event is not an array of 13 values");
            out.add(new KernelTransition(readKey(a, null), Long.parseUnsignedLong(a.get(4).asText(), 16),
                    KernelTcpState.valueOf(a.get(5).asText()), KernelTcpState.valueOf(a.get(6).asText()),
                    number(a.get(7)), number(a.get(8)), a.get(9).isNull() ? null : (int) number(a.get(9), "pid", 0, Integer.MAX_VALUE),
                    a.get(10).isNull() ? null : a.get(10).asText(), number(a.get(11)), number(a.get(12))));
        }
        return new EventBatch(out, number(n.path("lost")), n.path("ok").asBoolean(false));
    }

    static List<String> strings(JsonNode n) {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw new IllegalArgumentException("\"w\" is not an array");
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode s : n) out.add(s.asText());
        return out;
    }

    private static InetAddress address(JsonNode n) {
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("address is not text");
        // a literal only: never a name lookup
        return InetAddress.ofLiteral(n.asText());
    }

    private static final long MAX_U32 = 0xffff_ffffL;

    private static long number(JsonNode n) {
        return number(n, "a number", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An integer within min…max; anything else (a fraction, a number too big for a long) is rejected, never cut. */
    private static long number(JsonNode n, String what, long min, long max) {
        if (n == null || !n.isIntegralNumber()) throw new IllegalArgumentException(what + ": expected an integer, got " + shown(n));
        if (!n.canConvertToLong()) throw new IllegalArgumentException(what + " out of range: " + shown(n));
        long v = n.asLong();
        if (v < min || v > max) throw new IllegalArgumentException(what + " out of range (" + min + "…" + max + "): " + v);
        return v;
    }

    private static String shown(JsonNode n) {
        String t = String.valueOf(n);
        return t.length() > 40 ? t.substring(0, 37) + "..." : t;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("no \"" + field + "\"");
        return v.asText();
    }
}
