package io.tcplens.source.ssh;

import io.tcplens.common.Ports;
import java.util.Locale;

/**
 * Where to connect: {@code ssh://[user@]host[:port]} (an IPv6 address in brackets). User and port
 * may be absent here and come from {@code ~/.ssh/config} or the defaults.
 *
 * @param user null when not given
 * @param host a name or address (without brackets)
 * @param port 0 when not given
 */
public record SshTarget(String user, String host, int port) {
    public static final String SCHEME = "ssh://";

    /** Parses {@code ssh://[user@]host[:port]} or {@code [user@]host[:port]}; one clear sentence when it is not. */
    public static SshTarget parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("an ssh source needs ssh://[user@]host[:port]");
        String t = text.strip();
        if (t.toLowerCase(Locale.ROOT).startsWith(SCHEME)) t = t.substring(SCHEME.length());
        else if (t.startsWith("//")) t = t.substring(2);
        if (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        String user = null;
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            user = t.substring(0, at);
            t = t.substring(at + 1);
            if (user.isEmpty()) throw new IllegalArgumentException("'" + text + "': empty user name before @");
        }
        String host;
        int port = 0;
        String portText = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "': unclosed [ in the address");
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (rest.startsWith(":")) portText = rest.substring(1);
            else if (!rest.isEmpty()) throw new IllegalArgumentException("'" + text + "': unexpected text after ]");
        } else {
            int colon = t.indexOf(':');
            if (colon >= 0 && t.indexOf(':', colon + 1) >= 0)
                throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, ssh://[::1]:22");
            host = colon < 0 ? t : t.substring(0, colon);
            if (colon >= 0) portText = t.substring(colon + 1);
        }
        if (host.isEmpty() || host.contains("/") || host.contains(" "))
            throw new IllegalArgumentException("'" + text + "' names no host: use ssh://[user@]host[:port]");
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (!Ports.isUsablePort(port)) throw new IllegalArgumentException("'" + text + "': the port must be 1-65535");
        }
        return new SshTarget(user, host, port);
    }

    /** As typed back: ssh://user@host:port with what is known. */
    public String uri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return SCHEME + (user != null ? user + "@" : "") + h + (port > 0 ? ":" + port : "");
    }

    @Override
    public String toString() {
        return uri();
    }
}
