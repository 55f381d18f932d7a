package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SourceException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcNetTcpParserTest {
    static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    final ProcNetTcpParser parser = new ProcNetTcpParser(100);

    @Test
    void parsesIpv4ListenAndTimeWait() {
        SocketEntry l = parser.parseLine("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000081 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0").orElseThrow();
        assertEquals("127.0.0.1", l.local().host());
        assertEquals(8080, l.local().port());
        assertEquals(TcpState.LISTEN, l.state());
        assertEquals(0x81, l.receiveQueue());
        assertEquals(1000, l.uid());
        assertEquals(4242, l.inode());
        assertNull(l.timer());
        assertNull(l.timerRemainingMs());

        SocketEntry tw = parser.parseLine("  12: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:000016A8 00000000     0        0 0 3 0000000000000000").orElseThrow();
        assertEquals(TcpState.TIME_WAIT, tw.state());
        assertEquals(TimerKind.TIME_WAIT, tw.timer());
        assertEquals(0x16A8 * 10L, tw.timerRemainingMs(), "USER_HZ ticks → ms");
        assertEquals(54321, tw.local().port());
        assertEquals(0, tw.inode());
        assertNull(tw.pid());
        assertEquals(SocketEntry.UNKNOWN_UID, tw.uid(), "TIME_WAIT's uid column is a 0 no user owns");
        assertFalse(l.hasSendQueue(), "a listener's tx_queue column is not its backlog");
    }

    /** Lines as get_openreq4 and tcp4_seq_show print them (captured on 6.18): refcount 0 marks the request socket. */
    @Test
    void requestSocketIsToldApartByItsZeroReferenceCount() {
        SocketEntry req = parser.parseLine("   2: 0100007F:1F90 0100007F:9EB4 03 00000000:00000000 01:00000034 00000000  1000        0 0 0 00000000277e2f45").orElseThrow();
        assertEquals(TcpState.SYN_RECV, req.state());
        assertEquals(KernelTcpState.NEW_SYN_RECV, req.kernelState());
        assertEquals(SocketEntry.UNKNOWN_UID, req.uid(), "the uid column is the listener's");
        SocketEntry full = parser.parseLine("   3: 0100007F:1F90 0100007F:9EB5 03 00000000:00000000 01:00000034 00000000  1000        0 0 1 00000000277e2f46 100 0 0 10 -1").orElseThrow();
        assertEquals(KernelTcpState.SYN_RECV, full.kernelState());
        assertEquals(1000, full.uid());
    }

    @Test
    void parsesIpv6AndV4Mapped() {
        // [::1]:443 ESTABLISHED to [2001:db8::1]:51000
        SocketEntry e = parser.parseLine("   0: 00000000000000000000000001000000:01BB B80D0120000000000000000001000000:C738 01 00000010:00000020 01:00000014 00000002  1000        0 777 1 0 20 4 30 10 -1").orElseThrow();
        assertEquals("::1", e.local().host());
        assertEquals(443, e.local().port());
        assertEquals("2001:db8::1", e.remote().host());
        assertEquals(51000, e.remote().port());
        assertEquals(TcpState.ESTABLISHED, e.state());
        assertEquals(16, e.sendQueue());
        assertEquals(32, e.receiveQueue());
        assertEquals(TimerKind.RETRANSMIT, e.timer());
        assertEquals(200, e.timerRemainingMs());
        assertEquals(2, e.retransmits());
        assertEquals("[::1]:443", e.local().toString());

        SocketEntry m = parser.parseLine("   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000200007F:9C40 08 00000000:00000000 00:00000000 00000000     0        0 888 1").orElseThrow();
        assertInstanceOf(Inet4Address.class, m.local().address());
        assertEquals("127.0.0.1", m.local().host());
        assertEquals("127.0.0.2", m.remote().host());
        assertEquals(TcpState.CLOSE_WAIT, m.state());
    }

    @Test
    void kernelOnlyStatesMap() {
        SocketEntry b = parser.parseLine("   0: 0100007F:1F90 00000000:0000 0D 00000000:00000000 00:00000000 00000000  0 0 99 1").orElseThrow();
        assertEquals(KernelTcpState.BOUND_INACTIVE, b.kernelState());
        assertEquals(TcpState.CLOSED, b.state());
        SocketEntry n = parser.parseLine("   0: 0100007F:1F90 0100007F:D000 0C 00000000:00000000 01:00000064 00000000  0 0 0 1").orElseThrow();
        assertEquals(TcpState.SYN_RECV, n.state());
    }

    /** Two good lines (first and last) and five malformed ones, a blank line between (not counted). */
    static final String MALFORMED_MIX = HEADER
            + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\n"
            + "garbage\n"
            + "   1: 0100007F:ZZZZ 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n"
            + "   2: 0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n"
            + "   3: 0100007F:1F90 00000000:0000 FF 00000000:00000000 00:00000000 00000000  1000 0 1 1\n"
            + "   4: 0100007F:1F90 00000000:0000 0A\n"
            + "\n"
            + "   5: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4243 1\n";

    @Test
    void malformedLinesAreSkippedAndCounted() throws Exception {
        List<SocketEntry> rows = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        parser.read(new ProcNetTcpParser.Listing(), new ByteArrayInputStream(MALFORMED_MIX.getBytes(StandardCharsets.US_ASCII)),
                System.currentTimeMillis(), rows, bad);
        assertEquals(2, rows.size());
        assertEquals(5, bad.size());
    }

    @Test
    void missingProcOrUnreadableGivesClearErrorOrWarning(@TempDir Path dir) throws Exception {
        ProcNetSource none = new ProcNetSource(dir, true);
        var ex = assertThrows(SourceException.class, none::poll);
        assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());

        Files.createDirectories(dir.resolve("net"));
        Files.writeString(dir.resolve("net/tcp"), HEADER
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1\nbroken line\n");
        Files.createDirectories(dir.resolve("123"));  // a process without a readable fd dir
        var s = new ProcNetSource(dir, true).poll();
        assertEquals(1, s.sockets().size());
        assertNull(s.sockets().get(0).pid());
        assertTrue(s.warnings().stream().anyMatch(w -> w.contains("1 malformed line")), s.warnings().toString());
    }
}
