package io.tcplens.export;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV with the same columns and names as the JSON contract (unknown values are empty cells). */
public final class SocketCsv {
    public static final List<String> HEADER = List.of("state", "localAddress", "localPort", "remoteAddress",
            "remotePort", "pid", "process", "timer", "timerRemainingMs", "uid", "inode", "sendQueue", "receiveQueue",
            "kernelState", "ownerLastKnown", // appended, so positional readers of older files still work
            "cookie", "bytesSent", "bytesReceived", "bytesAcked", "segsOut", "segsIn", "totalRetrans", "rttMicros", // appended later still
            "owners"); // and last

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
        write(out, rows, SocketHolders.NONE);
    }

    /** With {@code owners}: every process holding the socket now, {@code name/pid} separated by spaces (ss -p's users). */
    public static void write(Appendable out, Iterable<SocketEntry> rows, SocketHolders holders) throws IOException {
        CSVFormat f = CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new)).setRecordSeparator("\n").get();
        try (CSVPrinter p = new CSVPrinter(out, f)) {
            for (SocketEntry e : rows) p.printRecord(values(e, holders));
        }
    }

    /**
     * With one more column last, {@code countersRead}: how each row's traffic counters were obtained, the i-th
     * text for the i-th row (the window's export of a paused table: some read at its poll, some at export time).
     */
    public static void write(Appendable out, List<SocketEntry> rows, List<String> countersRead) throws IOException {
        if (countersRead.size() != rows.size()) throw new IllegalArgumentException(countersRead.size() + " notes for " + rows.size() + " rows");
        List<String> header = new ArrayList<>(HEADER);
        header.add(COUNTERS_READ);
        CSVFormat f = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setRecordSeparator("\n").get();
        try (CSVPrinter p = new CSVPrinter(out, f)) {
            for (int i = 0; i < rows.size(); i++) {
                List<Object> v = new ArrayList<>(values(rows.get(i), SocketHolders.NONE));
                v.add(countersRead.get(i));
                p.printRecord(v);
            }
        }
    }

    /** The extra last column of {@link #write(Appendable, List, List)}. */
    public static final String COUNTERS_READ = "countersRead";

    public static List<Object> values(SocketEntry e) {
        return values(e, SocketHolders.NONE);
    }

    public static List<Object> values(SocketEntry e, SocketHolders holders) {
        List<SocketHolders.Holder> all = holders.of(e.inode());
        String owners;
        if (!all.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (SocketHolders.Holder h : all) sb.append(sb.isEmpty() ? "" : " ").append(h.name() == null ? "?" : h.name()).append('/').append(h.pid());
            owners = sb.toString();
        } else owners = e.pid() != null && !e.ownerLastKnown() ? (e.process() == null ? "?" : e.process()) + "/" + e.pid() : null;
        return Arrays.asList(e.state().name(), e.local().hostWithZone(), e.local().port(), e.remote().hostWithZone(),
                e.remote().port(), e.pid(), cell(e.process()), e.timer() == null ? null : e.timer().ssName(),
                e.timerRemainingMs(), e.hasUid() ? e.uid() : null, e.inode(),
                e.hasSendQueue() ? e.sendQueue() : null, e.hasReceiveQueue() ? e.receiveQueue() : null,
                e.kernelState() == null ? null : e.kernelState().name(), e.ownerLastKnown(),
                e.hasCookie() ? Long.toUnsignedString(e.cookie()) : null,
                info(e, TcpInfo::bytesSent), info(e, TcpInfo::bytesReceived), info(e, TcpInfo::bytesAcked),
                info(e, TcpInfo::segsOut), info(e, TcpInfo::segsIn), info(e, TcpInfo::totalRetrans), info(e, TcpInfo::rttMicros),
                cell(owners));
    }

    private static Long info(SocketEntry e, ToLongFunction<TcpInfo> f) {
        if (e.tcpInfo() == null) return null;
        long v = f.applyAsLong(e.tcpInfo());
        return v == TcpInfo.UNKNOWN ? null : v;
    }
}
