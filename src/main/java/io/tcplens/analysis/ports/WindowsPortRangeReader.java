package io.tcplens.analysis.ports;

import io.tcplens.common.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows: {@code netsh int ipv4 show dynamicport tcp}, whose output is
 * <pre>
 * Protocol tcp Dynamic Port Range
 * ---------------------------------
 * Start Port      : 49152
 * Number of Ports : 16384
 * </pre>
 * Localised Windows translates the labels, so the two "label : number" lines are taken in order.
 */
public final class WindowsPortRangeReader implements PortRangeReader {
    static final String[] COMMAND = {"netsh", "int", "ipv4", "show", "dynamicport", "tcp"};
    private static final Pattern LINE = Pattern.compile("^\\s*[^:]+?\\s*:\\s*(\\d+)\\s*$");
    private final CommandRunner runner;

    public WindowsPortRangeReader(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public EphemeralPortRange read() {
        return parse(runner.run(COMMAND));
    }

    /** Parses the command's output; unknown when it does not hold a start port and a count. */
    public static EphemeralPortRange parse(List<String> lines) {
        List<Integer> numbers = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) numbers.add(Integer.parseInt(m.group(1)));
        }
        if (numbers.size() < 2) return EphemeralPortRange.unknown("netsh int ipv4 show dynamicport tcp gave no range");
        int start = numbers.get(0), count = numbers.get(1);
        int last = start + count - 1;
        if (count < 1 || !Ports.isRange(start, last))
            return EphemeralPortRange.unknown("netsh gave start " + start + ", count " + count + ": not a port range");
        return EphemeralPortRange.of(start, last, List.of(),
                "netsh int ipv4 show dynamicport tcp (start " + start + ", " + count + " ports)");
    }
}
