package io.tcplens.io;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Text from outside the program (process names, which any local user can set; recordings; source
 * descriptions; error messages quoting input) made safe to print on a terminal: control characters
 * (C0 incl. ESC, DEL, C1 incl. the 8-bit CSI) and invisible format characters (bidi overrides) are
 * shown as escapes ({@code \e}, {@code \n}, {@code \x7f}, {@code \u202e}), so they can neither move the
 * cursor, retitle the terminal nor start a spoofed line. Backslashes are left as they are.
 */
public final class TerminalText {
    private TerminalText() {}

    /** One field on one line: every control character escaped, newlines and tabs included. */
    public static String oneLine(String text) {
        if (text == null) return null;
        int n = text.length();
        int i = 0;
        while (i < n && !unsafe(text.charAt(i), false)) i++;
        if (i == n) return text;
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (unsafe(c, false)) escape(sb, c);
            else sb.append(c);
        }
        return sb.toString();
    }

    /**
     * A writer for whole outputs (tables, messages, CSV): newlines and tabs pass, every other control
     * character is escaped. JSON is unchanged (it never holds a raw control character).
     */
    public static Writer filter(Writer out) {
        return new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                if (unsafe((char) c, true)) out.write(escape(new StringBuilder(6), (char) c).toString());
                else out.write(c);
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                int start = off, end = off + len;
                for (int i = off; i < end; i++) {
                    if (unsafe(cbuf[i], true)) {
                        if (i > start) out.write(cbuf, start, i - start);
                        out.write(escape(new StringBuilder(6), cbuf[i]).toString());
                        start = i + 1;
                    }
                }
                if (end > start) out.write(cbuf, start, end - start);
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                write(str.toCharArray(), off, len);
            }
        };
    }

    static boolean unsafe(char c, boolean allowLineBreaks) {
        if (c < 0x20) return !(allowLineBreaks && (c == '\n' || c == '\t'));
        if (c < 0x7f) return false;
        if (c <= 0x9f) return true; // DEL and C1
        return c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT && isBidiOrInvisible(c);
    }

    private static boolean isBidiOrInvisible(char c) {
        // bidi embeddings/overrides/isolates and the marks: they reorder what a terminal shows
        return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x061c || c == 0xfeff;
    }

    private static StringBuilder escape(StringBuilder sb, char c) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x1b -> sb.append("\\e");
            default -> {
                if (c <= 0xff) sb.append(String.format("\\x%02x", (int) c));
                else sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb;
    }
}
