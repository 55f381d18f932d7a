package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.explain.StateExplanation;
import io.tcplens.analysis.explain.StateExplanations;
import io.tcplens.model.TcpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcplens explain} prints the window's text (one source), through the real entry point. */
class ExplainCommandTest {
    @Test
    void printsTheSharedTextWithThisMachinesSettings(@TempDir Path sys) throws Exception {
        Path fin = sys.resolve("net/ipv4/tcp_fin_timeout");
        Files.createDirectories(fin.getParent());
        Files.writeString(fin, "23\n");
        CoreCommandsTest.Run r = CoreCommandsTest.run("explain", "fin-wait-2", "--sysctl-root", sys.toString());
        assertEquals(0, r.code(), r.err());
        StateExplanation e = new StateExplanations(Locale.ENGLISH, new SysctlReader(sys)).explain(TcpState.FIN_WAIT2);
        assertEquals(e.plainText("On this machine"), r.out());
        assertTrue(r.out().contains("net.ipv4.tcp_fin_timeout = 23"));
    }

    @Test
    void timeWaitSaysSixtySecondsAndThatFinTimeoutDoesNotShortenIt() {
        CoreCommandsTest.Run r = CoreCommandsTest.run("explain", "TIME-WAIT");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("TIME_WAIT (TIME-WAIT)\n"));
        assertTrue(r.out().contains("60 s on Linux, fixed: TCP_TIMEWAIT_LEN"));
        assertTrue(r.out().contains("tcp_fin_timeout does NOT shorten TIME_WAIT"));
        assertTrue(r.out().contains("RFC 9293\n  Sections 3.6"));
    }

    @Test
    void jsonHasEverySection() throws Exception {
        CoreCommandsTest.Run r = CoreCommandsTest.run("explain", "CLOSE_WAIT", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("CLOSE_WAIT", j.get("state").asText());
        for (String id : StateExplanations.SECTIONS) assertFalse(j.get(id).asText().isBlank(), id);
        assertTrue(j.get("settings").isArray());
    }

    @Test
    void withoutAStateOneLinePerState() {
        CoreCommandsTest.Run r = CoreCommandsTest.run("explain");
        assertEquals(0, r.code(), r.err());
        assertEquals(TcpState.values().length, r.out().lines().count());
        for (TcpState s : TcpState.values()) assertTrue(r.out().contains(s.name() + " "), s.name());
    }

    @Test
    void anUnknownStateIsOneClearLineAndExitCodeTwo() {
        CoreCommandsTest.Run r = CoreCommandsTest.run("explain", "TIME_WAITS");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tcplens: unknown state \"TIME_WAITS\"; one of: CLOSED, LISTEN"), r.err());
        assertTrue(r.out().isEmpty());
    }
}
