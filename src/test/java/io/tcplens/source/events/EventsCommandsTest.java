package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.CliProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tcplens events` and `tcplens lifetimes` on one loopback connection in a namespace of the test's own. */
class EventsCommandsTest {
    private static final String ONE = """
            import socket, sys, time
            l = socket.socket(); l.bind(('127.0.0.1', 7000)); l.listen(8)
            print('ready', flush=True); sys.stdin.readline()
            c = socket.create_connection(('127.0.0.1', 7000)); a, _ = l.accept()
            c.sendall(b'x' * 3000); n = 0
            while n < 3000: n += len(a.recv(4096))
            time.sleep(0.2); c.close(); a.recv(1); a.close()
            print('done', flush=True); sys.stdin.readline()
            """;

    @TempDir Path tmp;

    @Test
    void eventsAndLifetimesPrintTheConnection() throws Exception {
        assumeTrue(KernelEventsTest.usable(), () -> EventSupport.check().reason());
        try (EventNetns ns = new EventNetns()) {
            ns.python(ONE);
            assertEquals("ready", ns.readLine());
            Path evOut = tmp.resolve("events.json"), evErr = tmp.resolve("events.err");
            Path ltOut = tmp.resolve("lifetimes.json"), ltErr = tmp.resolve("lifetimes.err");
            List<String> jvm = List.of("--enable-native-access=ALL-UNNAMED");
            Process events = new ProcessBuilder(CliProcess.command(jvm, "events", "--netns", ns.name, "--json",
                    "--port", "7000", "--count", "10")).redirectOutput(evOut.toFile()).redirectError(evErr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Process lifetimes = new ProcessBuilder(CliProcess.command(jvm, "lifetimes", "--netns", ns.name, "--json",
                    "--count", "2")).redirectOutput(ltOut.toFile()).redirectError(ltErr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                // both say "events: on" once their probe is attached
                long deadline = System.nanoTime() + 90_000_000_000L;
                while (System.nanoTime() < deadline && !(Files.readString(evErr).contains("events: on")
                        && Files.readString(ltErr).contains("events: on"))) {
                    assertTrue(events.isAlive() && lifetimes.isAlive(), Files.readString(evErr) + Files.readString(ltErr));
                    Thread.sleep(100);
                }
                ns.send("go");
                assertEquals("done", ns.readLine());
                assertTrue(events.waitFor(60, TimeUnit.SECONDS), "events ends after 10 lines");
                assertTrue(lifetimes.waitFor(60, TimeUnit.SECONDS), "lifetimes ends after 2 lines");
            } finally {
                events.destroyForcibly();
                lifetimes.destroyForcibly();
            }
            assertEquals(0, events.exitValue(), Files.readString(evErr));
            ObjectMapper m = new ObjectMapper();
            List<String> steps = new ArrayList<>();
            for (String l : Files.readAllLines(evOut, StandardCharsets.UTF_8)) {
                JsonNode n = m.readTree(l);
                steps.add(n.get("local").asText().replace("127.0.0.1:7000", "S") + " " + n.get("oldState").asText()
                        + ">" + n.get("newState").asText());
                if (n.get("newState").asText().equals("FIN_WAIT1"))
                    assertTrue(n.get("pid").asInt() > 0 && n.get("comm").asText().startsWith("python"), l);
            }
            assertEquals(10, steps.size(), steps.toString());
            assertTrue(steps.contains("S LISTEN>SYN_RECV") && steps.contains("S CLOSE_WAIT>LAST_ACK")
                    && steps.contains("S LAST_ACK>CLOSE"), steps.toString());
            assertEquals(5, steps.stream().filter(s -> !s.startsWith("S ")).count(), "the client's five: " + steps);
            assertEquals(0, lifetimes.exitValue(), Files.readString(ltErr));
            List<String> lives = Files.readAllLines(ltOut, StandardCharsets.UTF_8);
            assertEquals(2, lives.size(), lives.toString());
            for (String l : lives) {
                JsonNode n = m.readTree(l);
                assertTrue(n.get("ms").asDouble() >= 150, "lived about 200 ms: " + l);
                assertTrue(n.get("txBytes").asLong() >= 3000 || n.get("rxBytes").asLong() >= 3000, l);
            }
        }
    }
}
