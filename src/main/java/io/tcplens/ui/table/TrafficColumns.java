package io.tcplens.ui.table;

import io.tcplens.analysis.remote.ReverseDns;
import io.tcplens.common.Units;
import io.tcplens.model.TcpInfo;
import io.tcplens.ui.shell.SteadyText;
import io.tcplens.ui.shell.UiPreferences;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/**
 * The connections table's columns beyond the socket table itself: the kernel's per-connection
 * traffic ({@code tcp_info}, netlink only: bytes, rates between polls, RTT, retransmits, segments),
 * the socket cookie, and the remote's reverse-DNS name. Sent and Received show by default, the rest
 * are chosen in the table's column menu (its "+" button); the choice is remembered. Each header
 * explains its field on hover. Sorting goes through {@link ConnectionColumn} like every column.
 */
final class TrafficColumns {
    private TrafficColumns() {}

    /** Shown on first use; the others wait in the column menu. */
    static final Set<ConnectionColumn> VISIBLE_BY_DEFAULT = Set.of(ConnectionColumn.BYTES_SENT, ConnectionColumn.BYTES_RECEIVED);
    static final String PREF = "columns.traffic.visible";

    /** What a traffic cell shows while the next poll reads its row's counters (the row just came into view). */
    static final String PENDING = "\u2026";

    static List<TableColumn<ConnectionRow, String>> create(ResourceBundle b, ReverseDns dns, UiPreferences prefs) {
        return create(b, dns, prefs, r -> false);
    }

    /** @param pending whether a row without counters has them read by the next poll: its cells show {@link #PENDING}, never 0 */
    static List<TableColumn<ConnectionRow, String>> create(ResourceBundle b, ReverseDns dns, UiPreferences prefs,
                                                           Predicate<ConnectionRow> pending) {
        List<TableColumn<ConnectionRow, String>> out = new ArrayList<>();
        out.add(col(b, "sent", ConnectionColumn.BYTES_SENT, info(TcpInfo::bytesSent, Units::bytes, pending), 84));
        out.add(col(b, "received", ConnectionColumn.BYTES_RECEIVED, info(TcpInfo::bytesReceived, Units::bytes, pending), 102));
        out.add(col(b, "sendRate", ConnectionColumn.SEND_RATE, rate(TcpInfo::sendRate, pending), 106));
        out.add(col(b, "receiveRate", ConnectionColumn.RECEIVE_RATE, rate(TcpInfo::receiveRate, pending), 106));
        out.add(col(b, "rtt", ConnectionColumn.RTT, info(TcpInfo::rttMicros, TrafficColumns::micros, pending), 76));
        out.add(col(b, "retrans", ConnectionColumn.RETRANSMITS, info(TcpInfo::totalRetrans, Units::count, pending), 88));
        out.add(col(b, "segsOut", ConnectionColumn.SEGS_OUT, info(TcpInfo::segsOut, Units::count, pending), 94));
        out.add(col(b, "segsIn", ConnectionColumn.SEGS_IN, info(TcpInfo::segsIn, Units::count, pending), 84));
        out.add(col(b, "acked", ConnectionColumn.BYTES_ACKED, info(TcpInfo::bytesAcked, Units::bytes, pending), 90));
        out.add(col(b, "cookie", ConnectionColumn.COOKIE, r -> r.entry().hasCookie() ? r.entry().cookieHex() : "", 88));
        TableColumn<ConnectionRow, String> host = col(b, "remoteHost", ConnectionColumn.REMOTE_HOST, r -> hostText(b, dns, r), 160);
        host.getStyleClass().remove("numeric");
        host.getStyleClass().add("text-left");
        out.add(host);

        Set<String> visible = new HashSet<>();
        String saved = prefs.get(PREF, null);
        if (saved == null) VISIBLE_BY_DEFAULT.forEach(c -> visible.add(c.name()));
        else for (String n : saved.split(",")) if (!n.isBlank()) visible.add(n.strip());
        for (TableColumn<ConnectionRow, String> c : out) {
            c.setVisible(visible.contains(((ConnectionColumn) c.getUserData()).name()));
            c.visibleProperty().addListener((o, a, n) -> save(out, prefs));
        }
        return out;
    }

    private static void save(List<TableColumn<ConnectionRow, String>> cols, UiPreferences prefs) {
        List<String> names = new ArrayList<>();
        for (TableColumn<ConnectionRow, String> c : cols) if (c.isVisible()) names.add(((ConnectionColumn) c.getUserData()).name());
        prefs.put(PREF, String.join(",", names));
    }

    /** The header's text of the traffic column {@code c} among {@code cols} (its {@code col.traffic.*} message). */
    static String header(List<TableColumn<ConnectionRow, String>> cols, ConnectionColumn c) {
        for (TableColumn<ConnectionRow, String> t : cols) if (t.getUserData() == c) return t.getText();
        return c.name();
    }

    /** True when any of these columns (traffic, not host or cookie) is shown. */
    static boolean anyTrafficVisible(List<TableColumn<ConnectionRow, String>> cols) {
        for (TableColumn<ConnectionRow, String> c : cols) {
            ConnectionColumn k = (ConnectionColumn) c.getUserData();
            if (c.isVisible() && k != ConnectionColumn.COOKIE && k != ConnectionColumn.REMOTE_HOST) return true;
        }
        return false;
    }

    static String hostText(ResourceBundle b, ReverseDns dns, ConnectionRow r) {
        var remote = r.key().remote();
        if (remote.isWildcard()) return "";
        ReverseDns.Result res = dns.cached(remote.address());
        if (res != null) return switch (res.status()) {
            case RESOLVED -> res.name();
            case NO_NAME -> b.getString("remotes.dns.none");
            case TIMED_OUT -> b.getString("remotes.dns.timeout");
        };
        return dns.pending(remote.address()) ? b.getString("remotes.dns.pending") : "";
    }

    static String micros(long us) {
        return us >= 10_000 ? Units.decimal(us / 1000.0, 0) + " ms" : Units.decimal(us / 1000.0, 2) + " ms";
    }

    private static Function<ConnectionRow, String> info(ToLongFunction<TcpInfo> f,
                                                       LongFunction<String> fmt, Predicate<ConnectionRow> pending) {
        return r -> {
            TcpInfo t = r.entry().tcpInfo();
            if (t == null) return pending.test(r) ? PENDING : "";
            long v = f.applyAsLong(t);
            return v == TcpInfo.UNKNOWN ? "" : fmt.apply(v);
        };
    }

    private static Function<ConnectionRow, String> rate(ToDoubleFunction<TcpInfo> f, Predicate<ConnectionRow> pending) {
        return r -> {
            TcpInfo t = r.entry().tcpInfo();
            if (t == null) return pending.test(r) ? PENDING : "";
            double v = f.applyAsDouble(t);
            return Double.isNaN(v) ? "" : Units.bytes(Math.round(v)) + "/s";
        };
    }

    private static TableColumn<ConnectionRow, String> col(ResourceBundle b, String key, ConnectionColumn k,
                                                          Function<ConnectionRow, String> value, double width) {
        // the header is a label so it can explain the kernel field on hover; the column menu lists the
        // column's text (it was blank: the text was cleared so the header would not show it twice), the
        // header cell draws only the label (style class graphic-header, issue 18)
        TableColumn<ConnectionRow, String> c = new TableColumn<>(b.getString("col.traffic." + key));
        Label header = new Label(b.getString("col.traffic." + key));
        header.setTooltip(new Tooltip(b.getString("col.traffic." + key + ".tip")));
        header.setMinWidth(0);
        c.setGraphic(header);
        c.getStyleClass().add("graphic-header");
        c.setId("col-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        c.setUserData(k);
        c.setPrefWidth(width);
        c.setCellFactory(SteadyText.cells()); // counters change at every poll: the cell keeps its text node (no CSS again)
        // "732.4 KiB" and the header stay whole when the table squeezes; the squeeze is shared with the others
        c.setMinWidth(k == ConnectionColumn.BYTES_RECEIVED ? 86 : k == ConnectionColumn.BYTES_SENT ? 82 : 70);
        // a number needs no more room: spare width goes to the address and process columns
        if (k != ConnectionColumn.REMOTE_HOST) c.setMaxWidth(width + 24);
        c.getStyleClass().add("numeric");
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        return c;
    }
}
