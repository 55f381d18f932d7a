package io.tcplens.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void oneLineEscapesEveryControlCharacter() {
        assertEquals("a\\e]0;owned\\x07b\\nall clear\\r\\t\\x7f\\x9b\\u202e", TerminalText.oneLine("a\u001b]0;owned\u0007b\nall clear\r\t\u007f\u009b\u202e"));
        assertEquals("nginx: worker", TerminalText.oneLine("nginx: worker"));
        assertEquals("ünïcödé ✓", TerminalText.oneLine("ünïcödé ✓"));
    }

    @Test
    void filterKeepsLinesAndTabsAndJson() throws Exception {
        StringWriter sw = new StringWriter();
        try (Writer w = TerminalText.filter(sw)) {
            w.write("col1\tcol2\n\u001b[2Jspoof\n{\"p\":\"\\u001b\"}\n");
        }
        assertEquals("col1\tcol2\n\\e[2Jspoof\n{\"p\":\"\\u001b\"}\n", sw.toString());
    }
}
