package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import org.junit.jupiter.api.Test;

/** A process name is any local user's choice: the table shows control and bidi characters as escapes (issue 15 #7). */
class ProcessTextTest {
    @Test
    void controlAndBidiCharactersAreShownEscaped() {
        SocketEntry e = Rows.row(1, 80, TcpState.ESTABLISHED, 42, null).withOwner(42, "ok\n\u001b]0;pwned\u0007\u202egpj.exe", false);
        String shown = new ConnectionRow(e, ConnectionRow.Status.NORMAL, 0, 0).processText();
        assertFalse(shown.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x202e), shown);
        assertEquals("ok\\n\\e]0;pwned\\x07\\u202egpj.exe (42)", shown);
    }
}
