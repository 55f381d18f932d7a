package io.tcplens.export;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV with the same columns and names as the JSON contract (unknown values are empty cells). */
public final class SocketCsv {
    public static final List<String> HEADER = List.of("state", "localAddress", "localPort", "remoteAddress",
            "remotePort", "pid", "process", "timer", "timerRemainingMs", "uid", "inode", "sendQueue", "receiveQueue",
            "kernelState", "ownerLastKnown", // appended, so positional readers of older files still work
            "cookie", "bytesSent", "bytesReceived", "bytesAcked", "segsOut", "segsIn", "totalRetrans", "rttMicros"); // appended later still

    private SocketCsv() {}

    /**
     * Text from outside the program (a process name, which any user can set) as a CSV cell that a
     * spreadsheet shows as text, never runs as a formula (OWASP "CSV injection"): a cell starting with
     * {@code = + - @}, a tab or a carriage return gets a leading apostrophe.
     */
    public static String cell(String text) {
        if (text == null || text.isEmpty()) return text;
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    public static void write(Appendable out, Iterable<SocketEntry> rows) throws IOException {
        CSVFormat f = CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new)).setRecordSeparator("\n").get();
        try (CSVPrinter p = new CSVPrinter(out, f)) {
            for (SocketEntry e : rows) p.printRecord(values(e));
        }
    }

    public static List<Object> values(SocketEntry e) {
        return java.util.Arrays.asList(e.state().name(), e.local().hostWithZone(), e.local().port(), e.remote().hostWithZone(),
                e.remote().port(), e.pid(), cell(e.process()), e.timer() == null ? null : e.timer().ssName(),
                e.timerRemainingMs(), e.hasUid() ? e.uid() : null, e.inode(),
                e.hasSendQueue() ? e.sendQueue() : null, e.hasReceiveQueue() ? e.receiveQueue() : null,
                e.kernelState() == null ? null : e.kernelState().name(), e.ownerLastKnown(),
                e.hasCookie() ? Long.toUnsignedString(e.cookie()) : null,
                info(e, TcpInfo::bytesSent), info(e, TcpInfo::bytesReceived), info(e, TcpInfo::bytesAcked),
                info(e, TcpInfo::segsOut), info(e, TcpInfo::segsIn), info(e, TcpInfo::totalRetrans), info(e, TcpInfo::rttMicros));
    }

    private static Long info(SocketEntry e, java.util.function.ToLongFunction<TcpInfo> f) {
        if (e.tcpInfo() == null) return null;
        long v = f.applyAsLong(e.tcpInfo());
        return v == TcpInfo.UNKNOWN ? null : v;
    }
}
