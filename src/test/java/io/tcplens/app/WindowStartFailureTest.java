package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A window that cannot start explains why in one line instead of a stack trace. */
class WindowStartFailureTest {
    @Test
    void namesTheMissingPiece() {
        assertTrue(TcpLensApp.why(new RuntimeException("Application launch failed",
                new UnsupportedOperationException("Unable to load glass GTK library."))).contains("libgtk-3-0"));
        String display = TcpLensApp.why(new RuntimeException("Application launch failed",
                new UnsupportedOperationException("Unable to open DISPLAY")));
        assertTrue(display.contains("no display"), display);
        // the toolkit's own words stay in the line: which of its checks failed
        assertTrue(display.contains(": Unable to open DISPLAY;"), display);
        assertTrue(TcpLensApp.why(new IllegalStateException("something else")).contains("something else"));
    }
}
