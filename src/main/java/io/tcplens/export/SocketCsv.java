package io.tcplens.export;

import io.tcplens.model.SocketEntry;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** CSV with the same columns and names as the JSON contract. */
public final class SocketCsv {
    public static final List<String> HEADER = List.of("state", "localAddress", "localPort", "remoteAddress",
            "remotePort", "pid", "process", "timer", "timerRemainingMs", "uid", "inode", "sendQueue", "receiveQueue");

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
        return java.util.Arrays.asList(e.state().name(), e.local().host(), e.local().port(), e.remote().host(),
                e.remote().port(), e.pid(), cell(e.process()), e.timer() == null ? null : e.timer().ssName(),
                e.timerRemainingMs(), e.uid() < 0 ? null : e.uid(), e.inode(), e.sendQueue(), e.receiveQueue());
    }
}
