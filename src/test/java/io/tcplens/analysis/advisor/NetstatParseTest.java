package io.tcplens.analysis.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link NetstatCounters#parse} reads the values in place, with each header's names worked out once: it must
 * give what splitting both lines on white space gave (the reference below, the parser before round 25), on
 * this machine's own files and on odd input.
 */
class NetstatParseTest {
    /** The parser as it was: both lines split on white space, names joined and interned every time. */
    static Map<String, Long> reference(List<String> lines) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).trim().split("\\s+");
            String[] vals = lines.get(i + 1).trim().split("\\s+");
            if (names.length != vals.length || names.length < 2 || !names[0].equals(vals[0])) continue;
            String prefix = names[0].endsWith(":") ? names[0].substring(0, names[0].length() - 1) : names[0];
            for (int k = 1; k < names.length; k++) {
                try {
                    m.put(prefix + "." + names[k], Long.parseLong(vals[k]));
                } catch (NumberFormatException ignored) {
                    // skipped
                }
            }
        }
        return m;
    }

    @Test
    void thisMachinesFilesParseAsBefore() throws IOException {
        for (String f : List.of("/proc/net/netstat", "/proc/net/snmp")) {
            List<String> lines = Files.readAllLines(Path.of(f), StandardCharsets.US_ASCII);
            Map<String, Long> got = NetstatCounters.parse(lines, 1).values();
            assertEquals(reference(lines), got, f);
            assertTrue(got.size() > 20, f + ": " + got.size() + " counters");
            // twice: the second time from the names worked out the first
            assertEquals(got, NetstatCounters.parse(lines, 2).values(), f + " again");
        }
        Map<String, Long> with = NetstatCounters.readWithSnmp(Path.of("/proc"), 3).values();
        assertTrue(with.containsKey(NetstatCounters.LISTEN_OVERFLOWS) && with.containsKey("Tcp.ActiveOpens"), with.keySet().toString());
    }

    @Test
    void oddInputParsesAsBefore() {
        List<List<String>> cases = List.of(
                List.of("TcpExt: A B C", "TcpExt: 1 2 3"),
                List.of("  TcpExt:\tA  B\tC  ", "\tTcpExt:  1\t 2   3 "),
                List.of("TcpExt: A B C", "TcpExt: 1 2"),              // one value short: the pair is skipped
                List.of("TcpExt: A B", "TcpExt: 1 2 3"),              // one value too many
                List.of("TcpExt: A B C", "IpExt: 1 2 3"),             // another prefix
                List.of("TcpExt: A B C", "TcpExt: 1 x -3"),           // a field that is not a number, a negative one
                List.of("TcpExt: A B", "TcpExt: 99999999999999999999 5"), // too large for a long
                List.of("TcpExt:", "TcpExt:"),
                List.of("", ""),
                List.of("Tcp: RtoAlgorithm MaxConn", "Tcp: 1 -1", "Udp: InDatagrams", "Udp: 7", "Odd: A"),
                List.of("NoColon A B", "NoColon 4 5"),
                List.of("TcpExt: A B C", "TcpExt: 1 2 3", "TcpExt: A B C", "TcpExt: 4 5 6"));
        for (List<String> lines : cases) assertEquals(reference(lines), NetstatCounters.parse(lines, 1).values(), lines.toString());
    }

    @Test
    void namesAreTheInternedStrings() {
        Map<String, Long> v = NetstatCounters.parse(List.of("TcpExt: ListenOverflows", "TcpExt: 4"), 1).values();
        String key = v.keySet().iterator().next();
        assertSame(NetstatCounters.LISTEN_OVERFLOWS, key);
    }
}
