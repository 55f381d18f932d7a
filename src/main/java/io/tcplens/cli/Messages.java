package io.tcplens.cli;

import io.tcplens.io.TerminalText;
import io.tcplens.source.SourceException;

/** Turns an exception into one clear line. */
final class Messages {
    private Messages() {}

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
        if (!(t instanceof CliException) && !(t instanceof SourceException) && t.getCause() != null
                && t.getCause().getMessage() != null && !m.contains(t.getCause().getMessage()))
            m = m + ": " + t.getCause().getMessage();
        return TerminalText.oneLine(m.replace('\n', ' ').strip());
    }
}
