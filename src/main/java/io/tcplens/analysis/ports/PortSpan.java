package io.tcplens.analysis.ports;

import io.tcplens.common.Ports;
import java.util.ArrayList;
import java.util.List;

/** An inclusive span of ports, e.g. {@code 8080-8089} or a single port. */
public record PortSpan(int first, int last) {

    public PortSpan {
        if (!Ports.isPort(first) || !Ports.isPort(last) || first > last)
            throw new IllegalArgumentException("bad port span " + first + "-" + last);
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    /**
     * Parses the kernel's port-list syntax of {@code ip_local_reserved_ports}: comma-separated
     * ports and ranges ("8080,9000-9010"); empty text is an empty list.
     *
     * @throws IllegalArgumentException with a one-line message when the text is not such a list
     */
    public static List<PortSpan> parseList(String text) {
        List<PortSpan> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (String part : text.trim().split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    int port = Integer.parseInt(p);
                    out.add(new PortSpan(port, port));
                } else {
                    out.add(new PortSpan(Integer.parseInt(p.substring(0, dash).trim()),
                            Integer.parseInt(p.substring(dash + 1).trim())));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a port or port range: '" + p + "'");
            }
        }
        return out;
    }

    /** The kernel's text form of a list, e.g. "8080,9000-9010". */
    public static String format(List<PortSpan> spans) {
        StringBuilder sb = new StringBuilder();
        for (PortSpan s : spans) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(s);
        }
        return sb.toString();
    }
}
