package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.SocketHoldingChild;
import io.tcplens.testutil.Ss;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code tcplens processes} on real loopback sockets owned by a child process the test starts (a
 * quiet Python holding 1 listener, 3 connected pairs and 4 server sockets whose clients closed): its
 * row equals a count made from {@code ss -tanp} for that pid, and equals what the child built.
 */
class ProcessesCommandTest {
    private static Map<TcpState, Integer> ssCount(long pid) throws Exception {
        Process p = new ProcessBuilder("ss", "-tanpH").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        Pattern owner = Pattern.compile("pid=" + pid + ",");
        for (String line : out.split("\n")) {
            Matcher o = owner.matcher(line);
            if (!o.find()) continue;
            TcpState.parse(line.trim().split("\\s+")[0]).ifPresent(s -> m.merge(s, 1, Integer::sum));
        }
        return m;
    }

    @Test
    void theChildsRowEqualsSsAndWhatItBuilt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")) && Ss.available(), "needs Linux /proc and ss");
        assumeTrue(SocketHoldingChild.available(), "needs python3");
        try (SocketHoldingChild child = SocketHoldingChild.start()) {
            int port = child.port();
            assertTrue(port > 0);
            long pid = child.pid();
            Map<TcpState, Integer> built = SocketHoldingChild.STATES;
            // the child is quiet once it printed its port; wait for the kernel to show all of it
            long end = System.currentTimeMillis() + 10_000;
            while (!ssCount(pid).equals(built) && System.currentTimeMillis() < end) Thread.sleep(50);
            assertEquals(built, ssCount(pid), "ss -tanp for the child");

            for (String src : new String[] {"proc", "netlink"}) {
                CoreCommandsTest.Run run = CoreCommandsTest.run("processes", "--json", "--details", "--source", src);
                if (src.equals("netlink") && run.code() != 0 && run.err().contains("netlink")) continue; // not here
                assertEquals(0, run.code(), run.err());
                JsonNode row = null;
                for (JsonNode n : new ObjectMapper().readTree(run.out()).get("processes"))
                    if (n.get("pid").asLong() == pid) row = n;
                assertNotNull(row, src + ": a row for the child " + pid);
                Map<TcpState, Integer> shown = new EnumMap<>(TcpState.class);
                row.get("states").properties().forEach(e -> shown.put(TcpState.valueOf(e.getKey()), e.getValue().asInt()));
                assertEquals(ssCount(pid), shown, src + ": the child's row against ss -tanp");
                assertEquals(SocketHoldingChild.SOCKETS, row.get("total").asInt());
                assertTrue(row.get("details").get("commandLine").asText().contains("python3"), row.toString());
                assertTrue(row.get("details").get("openFds").asInt() >= 11, "its fds include its 11 sockets: " + row);
            }
            CoreCommandsTest.Run text = CoreCommandsTest.run("processes", "--source", "proc");
            assertEquals(0, text.code(), text.err());
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(pid + " ") && l.contains("python3")), text.out());
            CoreCommandsTest.Run ports = CoreCommandsTest.run("processes", "--ports", "--json", "--source", "proc");
            JsonNode portRow = null;
            for (JsonNode n : new ObjectMapper().readTree(ports.out()).get("ports"))
                if (n.get("localPort").asInt() == port) portRow = n;
            assertNotNull(portRow, "the child's listening port has a row");
            // inbound: the listener, 3 accepted ESTABLISHED and 4 CLOSE_WAIT, all on the child's port
            assertEquals(1, portRow.get("states").get("LISTEN").asInt());
            assertEquals(4, portRow.get("states").get("CLOSE_WAIT").asInt());
            assertTrue(portRow.get("states").get("ESTABLISHED").asInt() >= 3, portRow.toString());
        }
    }

    @Test
    void aBadTopIsOneLine() {
        CoreCommandsTest.Run run = CoreCommandsTest.run("processes", "--top", "0", "--source", "proc");
        assertEquals(2, run.code());
        assertEquals("tcplens: --top must be positive: 0", run.err().strip());
    }
}
