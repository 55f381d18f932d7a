package io.tcplens.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpInfo;
import java.math.BigInteger;
import java.util.List;

/**
 * The JSON contract for a socket (documented in the README): state, localAddress, localPort,
 * remoteAddress, remotePort, pid, process, timer, timerRemainingMs, uid, inode, sendQueue,
 * receiveQueue (+ kernelState and ownerLastKnown, then cookie and tcpInfo, then owners). Unknown values are null.
 */
public final class SocketJson {
    /** Shared mapper; ObjectMapper is thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private SocketJson() {}

    public static ObjectNode toJson(SocketEntry e) {
        return toJson(e, SocketHolders.NONE);
    }

    /**
     * As {@link #toJson(SocketEntry)}, with {@code owners}: every process holding the socket now, lowest
     * pid first, as {@code ss -p} lists them (several after fork(), SCM_RIGHTS, a pre-fork server's
     * listener); [] when none is known or the row's owner is only the last known one.
     */
    public static ObjectNode toJson(SocketEntry e, SocketHolders holders) {
        ObjectNode n = fields(e);
        ArrayNode owners = n.putArray("owners");
        List<SocketHolders.Holder> all = holders.of(e.inode());
        if (!all.isEmpty()) for (SocketHolders.Holder h : all) owners.addObject().put("pid", h.pid()).put("process", h.name());
        else if (e.pid() != null && !e.ownerLastKnown()) owners.addObject().put("pid", e.pid()).put("process", e.process());
        return n;
    }

    private static ObjectNode fields(SocketEntry e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("state", e.state().name());
        n.put("kernelState", e.kernelState() == null ? null : e.kernelState().name());
        n.put("localAddress", e.local().hostWithZone());
        n.put("localPort", e.local().port());
        n.put("remoteAddress", e.remote().hostWithZone());
        n.put("remotePort", e.remote().port());
        if (e.pid() == null) n.putNull("pid");
        else n.put("pid", e.pid());
        n.put("process", e.process());
        n.put("ownerLastKnown", e.ownerLastKnown());
        n.put("timer", e.timer() == null ? null : e.timer().ssName());
        if (e.timerRemainingMs() == null) n.putNull("timerRemainingMs");
        else n.put("timerRemainingMs", e.timerRemainingMs());
        if (!e.hasUid()) n.putNull("uid");
        else n.put("uid", e.uid());
        n.put("inode", e.inode());
        if (e.hasSendQueue()) n.put("sendQueue", e.sendQueue());
        else n.putNull("sendQueue");
        if (e.hasReceiveQueue()) n.put("receiveQueue", e.receiveQueue());
        else n.putNull("receiveQueue");
        if (e.hasCookie()) n.put("cookie", new BigInteger(Long.toUnsignedString(e.cookie())));
        else n.putNull("cookie");
        TcpInfo t = e.tcpInfo();
        if (t == null) n.putNull("tcpInfo");
        else {
            ObjectNode i = n.putObject("tcpInfo");
            known(i, "bytesSent", t.bytesSent());
            known(i, "bytesRetrans", t.bytesRetrans());
            known(i, "bytesAcked", t.bytesAcked());
            known(i, "bytesReceived", t.bytesReceived());
            known(i, "segsOut", t.segsOut());
            known(i, "segsIn", t.segsIn());
            known(i, "totalRetrans", t.totalRetrans());
            known(i, "rttMicros", t.rttMicros());
            known(i, "rttVarMicros", t.rttVarMicros());
            rate(i, "sendBytesPerSecond", t.sendRate());
            rate(i, "receiveBytesPerSecond", t.receiveRate());
        }
        return n;
    }

    private static void known(ObjectNode n, String field, long v) {
        if (v == TcpInfo.UNKNOWN) n.putNull(field);
        else n.put(field, v);
    }

    private static void rate(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) n.putNull(field);
        else n.put(field, Math.round(v));
    }
}
