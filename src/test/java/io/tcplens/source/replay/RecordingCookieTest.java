package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.export.SocketCsv;
import io.tcplens.export.SocketJson;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The socket cookie in recordings, JSON and CSV, and files written before it existed. */
class RecordingCookieTest {
    static final ConnectionKey KEY = new ConnectionKey(new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 40000),
            new Endpoint(InetAddress.ofLiteral("127.0.0.1"), 8080));

    static SocketEntry row(long cookie, TcpInfo info) {
        return new SocketEntry(KEY, TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, 77, 12,
                "curl", false, false, cookie, info);
    }

    @Test
    void cookieRoundTripsAndTcpInfoIsNotRecorded() throws Exception {
        SocketEntry e = row(0xfedcba9876543210L, new TcpInfo(1, 2, 3, 4, 5, 6, 7, 8, 9));
        JsonNode a = RecordingCodec.MAPPER.readTree(RecordingCodec.socket(e, 0).toString());
        assertEquals(17, a.size());
        SocketEntry back = RecordingCodec.readSocket(a, 0);
        assertEquals(e.cookie(), back.cookie(), "an unsigned 64-bit cookie survives");
        assertNull(back.tcpInfo());
        assertEquals(e.withTcpInfo(null), back);
    }

    @Test
    void rowsWithoutCookieStayAsOlderVersionsWroteThem() throws Exception {
        SocketEntry e = row(SocketEntry.NO_COOKIE, null);
        JsonNode a = RecordingCodec.MAPPER.readTree(RecordingCodec.socket(e, 0).toString());
        assertEquals(16, a.size(), "a row of a source without cookies is the format-1 row older TcpLens reads");
        // a row written by an older TcpLens
        JsonNode old = RecordingCodec.MAPPER.readTree(
                "[\"127.0.0.1\",40000,\"127.0.0.1\",8080,\"ESTABLISHED\",\"ESTABLISHED\",0,0,null,null,0,1000,77,12,\"curl\",0]");
        SocketEntry r = RecordingCodec.readSocket(old, 0);
        assertFalse(r.hasCookie());
        assertEquals(e, r);
        JsonNode bad = RecordingCodec.MAPPER.readTree(
                "[\"127.0.0.1\",40000,\"127.0.0.1\",8080,\"ESTABLISHED\",\"ESTABLISHED\",0,0,null,null,0,1000,77,12,\"curl\",0,\"x1\"]");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RecordingCodec.readSocket(bad, 0));
        assertTrue(ex.getMessage().contains("cookie"), ex.getMessage());
    }

    @Test
    void jsonAndCsvCarryCookieAndTcpInfo() throws Exception {
        SocketEntry e = row(0x6cdeedL, new TcpInfo(12345, 0, 12346, 0, 3, 2, 0, 22, 12).withRates(1000.4, 0));
        var j = SocketJson.toJson(e);
        assertEquals(0x6cdeedL, j.get("cookie").asLong());
        assertEquals(12345, j.get("tcpInfo").get("bytesSent").asLong());
        assertEquals(1000, j.get("tcpInfo").get("sendBytesPerSecond").asLong());
        var none = SocketJson.toJson(row(SocketEntry.NO_COOKIE, null));
        assertTrue(none.get("cookie").isNull());
        assertTrue(none.get("tcpInfo").isNull());
        var big = SocketJson.toJson(row(-2L, null));
        assertEquals("18446744073709551614", big.get("cookie").asText(), "unsigned, as the kernel counts");

        StringBuilder sb = new StringBuilder();
        SocketCsv.write(sb, List.of(e, row(SocketEntry.NO_COOKIE, null)));
        String[] lines = sb.toString().split("\n");
        assertTrue(lines[0].startsWith("state,localAddress,localPort,remoteAddress,remotePort,pid,process,timer,timerRemainingMs,uid,inode,sendQueue,receiveQueue,kernelState,ownerLastKnown,cookie,"),
                "the older columns keep their places: " + lines[0]);
        assertTrue(lines[1].contains(",7134957,12345,0,12346,3,2,0,22"), lines[1]);
        // no cookie, no tcp_info: eight empty cells, then the owners column (appended after them)
        assertTrue(lines[2].endsWith(",false,,,,,,,,,curl/12"), lines[2]);
    }
}
