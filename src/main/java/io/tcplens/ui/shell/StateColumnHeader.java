package io.tcplens.ui.shell;

import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.StatePalette;
import java.util.EnumMap;
import java.util.Map;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.shape.Circle;

/**
 * The header of a table column that counts one TCP state: the state's dot, in its colour from the
 * theme, above ss's abbreviation of its name ("ESTAB", "CLOSE-W", "TIME-W"). Narrow enough that the
 * process and remote-IP tables show every state column in a 1024 px window (issue 18: "● ESTABLISHED"
 * on one line took 122 px); the full name is in the header's tooltip.
 */
public final class StateColumnHeader {
    private static final Map<TcpState, String> SHORT = new EnumMap<>(Map.ofEntries(
            Map.entry(TcpState.ESTABLISHED, "ESTAB"), Map.entry(TcpState.SYN_SENT, "SYN-S"),
            Map.entry(TcpState.SYN_RECV, "SYN-R"), Map.entry(TcpState.FIN_WAIT1, "FIN-W1"),
            Map.entry(TcpState.FIN_WAIT2, "FIN-W2"), Map.entry(TcpState.TIME_WAIT, "TIME-W"),
            Map.entry(TcpState.CLOSED, "CLOSED"), Map.entry(TcpState.CLOSE_WAIT, "CLOSE-W"),
            Map.entry(TcpState.LAST_ACK, "LAST-A"), Map.entry(TcpState.LISTEN, "LISTEN"),
            Map.entry(TcpState.CLOSING, "CLOSING")));

    private StateColumnHeader() {}

    /** The abbreviation the header shows. */
    public static String shortName(TcpState s) {
        return SHORT.getOrDefault(s, s.name());
    }

    /** A header: the dot above the abbreviation, style class {@code state-column-header} and the state's class. */
    public static Label of(TcpState s) {
        Circle dot = new Circle(4);
        dot.getStyleClass().add("state-dot");
        Label header = new Label(shortName(s), dot);
        header.setContentDisplay(ContentDisplay.TOP);
        header.setGraphicTextGap(2);
        header.getStyleClass().addAll("state-column-header", StatePalette.styleClass(s));
        return header;
    }
}
