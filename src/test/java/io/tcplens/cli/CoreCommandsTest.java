package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.LoopbackSockets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** counts / snapshot / remotes / watch through the real entry point, on real loopback sockets. */
public class CoreCommandsTest {
    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = TcpLensCommand.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void countsSnapshotRemotesAndWatchSeeTheTestsSockets() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")));
        ObjectMapper m = new ObjectMapper();
        try (LoopbackSockets lab = new LoopbackSockets()) {
            lab.established();
            lab.established();
            int tw = lab.timeWait();
            String port = Integer.toString(lab.port());

            Run counts = run("counts", "--port", port, "--json", "--source", "proc");
            assertEquals(0, counts.code(), counts.err());
            JsonNode c = m.readTree(counts.out());
            assertEquals(1, c.get("LISTEN").asInt());
            assertEquals(4, c.get("ESTABLISHED").asInt());
            assertEquals(1, c.get("TIME_WAIT").asInt());

            Run text = run("counts", "--port", port, "--source", "proc");
            String[] lines = text.out().strip().split("\n");
            assertTrue(lines[lines.length - 1].strip().endsWith("ESTABLISHED"), "sorted ascending like uniq -c | sort -n: " + text.out());

            Run snap = run("snapshot", "--format", "json", "--port", port, "--state", "TIME-WAIT", "--source", "proc");
            JsonNode rows = m.readTree(snap.out());
            assertEquals(1, rows.size());
            JsonNode r = rows.get(0);
            assertEquals("TIME_WAIT", r.get("state").asText());
            assertEquals(tw, r.get("localPort").asInt());
            assertEquals("127.0.0.1", r.get("localAddress").asText());
            assertTrue(r.get("pid").isNull(), "TIME_WAIT has no owner");
            assertEquals("timewait", r.get("timer").asText());
            assertTrue(r.get("timerRemainingMs").asLong() > 0);
            for (String f : new String[] {"remoteAddress", "remotePort", "process", "uid", "inode", "sendQueue", "receiveQueue"})
                assertTrue(r.has(f), f);

            Run csv = run("snapshot", "--format", "csv", "--port", port, "--address", "127.0.0.0/8", "--source", "proc");
            assertTrue(csv.out().startsWith("state,localAddress,localPort,remoteAddress,remotePort,pid,process"));
            assertEquals(1 + 6, csv.out().strip().split("\n").length, csv.out());

            Run remotes = run("remotes", "--port", port, "--json", "--source", "proc");
            JsonNode rr = m.readTree(remotes.out());
            assertEquals("127.0.0.1", rr.get(0).get("remoteAddress").asText());
            assertEquals(5, rr.get(0).get("total").asInt(), remotes.out());

            Run watch = run("watch", "--count", "2", "--interval", "200ms", "--json", "--source", "proc");
            assertEquals(0, watch.code(), watch.err());
            String[] polls = watch.out().strip().split("\n");
            assertEquals(2, polls.length);
            JsonNode w = m.readTree(polls[1]);
            assertTrue(w.get("pollMs").asDouble() >= 0);
            assertTrue(w.has("opened") && w.has("closed") && w.has("transitions") && w.get("counts").has("LISTEN"));
        }
    }

    @Test
    void errorsAreOneLineOnStderrWithNonZeroExit() {
        for (String[] args : new String[][] {
                {"snapshot", "--state", "ITMED_WAIT"}, {"counts", "--port", "70000"}, {"counts", "--source", "nope"},
                {"snapshot", "--address", "999.1.1.1"}, {"watch", "--interval", "soon"}, {"counts", "--bogus"}}) {
            Run r = run(args);
            assertNotEquals(0, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
            assertTrue(r.err().startsWith("tcplens: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        Run help = run("counts", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--json"));
    }
}
