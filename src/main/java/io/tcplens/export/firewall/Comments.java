package io.tcplens.export.firewall;

/**
 * Makes user-controlled text (process and host names, filter text, interface names) safe inside a
 * one-line comment of any rule format: control characters, line and paragraph separators and
 * invisible format characters (bidi overrides included) become spaces; characters that a Windows
 * batch file expands or acts on even in a REM line ({@code % ^ & | < > !}) become '_'; a trailing
 * backslash (pf.conf line continuation) is dropped. What remains cannot end the comment.
 */
public final class Comments {
    private Comments() {}

    private static final int MAX = 300;

    public static String sanitize(String text) {
        if (text == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX));
        text.codePoints().forEach(cp -> {
            if (sb.length() >= MAX) return;
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE) {
                sb.append(' ');
                return;
            }
            switch (cp) {
                case '%', '^', '&', '|', '<', '>', '!' -> sb.append('_');
                default -> sb.appendCodePoint(cp);
            }
        });
        String out = sb.toString().strip().replaceAll(" {2,}", " ");
        // a trailing backslash continues a pf.conf line (comments included); strip it
        while (out.endsWith("\\")) out = out.substring(0, out.length() - 1).stripTrailing();
        return out;
    }

    /** Quoted for an error message: control and invisible characters shown as '?', long text cut. */
    static String quote(String text) {
        String s = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean bad = type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT || type == Character.SURROGATE;
            if (bad) sb.append('?');
            else sb.appendCodePoint(cp);
        });
        return sb.append('\'').toString();
    }
}
