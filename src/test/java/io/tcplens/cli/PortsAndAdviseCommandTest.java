package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.export.SocketJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class PortsAndAdviseCommandTest {
    @TempDir
    Path sys;

    record Run(int code, String out, String err) {}

    /** Runs the real entry point (its one-line error handler included) with stdout/stderr captured. */
    static synchronized Run run(String... args) {
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

    void sysctl(String name, String value) throws Exception {
        Path p = sys.resolve(name.replace('.', '/'));
        Files.createDirectories(p.getParent());
        Files.writeString(p, value + "\n");
    }

    @Test
    void portsJsonUsesTheGivenSysctlTree() throws Exception {
        sysctl("net.ipv4.ip_local_port_range", "40000 40999");
        sysctl("net.ipv4.ip_local_reserved_ports", "40500-40509");
        Run r = run("ports", "--json", "--source", "proc", "--sample", "0s", "--sysctl-root", sys.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = SocketJson.MAPPER.readTree(r.out());
        assertEquals(990, n.get("ephemeralRange").get("usable").asInt());
        assertEquals("40500-40509", n.get("ephemeralRange").get("reserved").asText());
        assertEquals(60.0, n.get("timeWait").get("seconds").asDouble());
        assertEquals(16.5, n.get("maxSustainableRate").asDouble(), 1e-9);
        assertTrue(n.get("source").asText().startsWith("live"));
        assertTrue(n.get("destinations").isArray());
    }

    @Test
    void portsTextSaysUnknownWhenTheRangeIsUnreadable() {
        Run r = run("ports", "--source", "proc", "--sample", "0s", "--sysctl-root", sys.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ephemeral ports: unknown"), r.out());
        assertTrue(r.out().contains("close rates not measured"), r.out());
    }

    @Test
    void adviseExplainsAndEndsWithASnippet() throws Exception {
        sysctl("net.ipv4.tcp_fin_timeout", "60");
        sysctl("net.ipv4.tcp_tw_reuse", "2");
        Run r = run("advise", "--source", "proc", "--sample", "300ms", "--interval", "100ms", "--sysctl-root", sys.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("net.ipv4.tcp_fin_timeout = 60"), r.out());
        assertTrue(r.out().contains("Not: It does not shorten TIME_WAIT"), r.out());
        assertTrue(r.out().contains("net.ipv4.tcp_tw_recycle = (absent on this kernel)"));
        assertTrue(r.out().contains("== sysctl.d snippet =="));
        // issue 14: each setting's sentences cite their source on the line below them
        assertTrue(r.out().contains("    Not: It does not shorten TIME_WAIT: Linux keeps TIME_WAIT for a fixed 60 s (TCP_TIMEWAIT_LEN, not a sysctl).\n"
                + "    Source: ip-sysctl.rst § tcp_fin_timeout; include/net/tcp.h TCP_TIMEWAIT_LEN\n"), r.out());
        assertEquals(r.out().lines().filter(l -> l.startsWith("net.")).count(),
                r.out().lines().filter(l -> l.startsWith("    Source: ")).count(), "every setting cites:\n" + r.out());
        Run j = run("advise", "--json", "--source", "proc", "--sample", "0s", "--sysctl-root", sys.toString());
        JsonNode n = SocketJson.MAPPER.readTree(j.out());
        assertTrue(n.get("settings").size() >= 14);
        for (JsonNode setting : n.get("settings"))
            assertTrue(setting.get("source").asText("").contains("§") || setting.get("source").asText("").contains("Linux 4.12"), setting.toString());
        assertTrue(n.get("sysctlSnippet").asText().contains("tcp_tw_recycle (removed in Linux 4.12"));
        Run s = run("advise", "--snippet", "--source", "proc", "--sample", "0s", "--sysctl-root", sys.toString());
        assertTrue(s.out().startsWith("# /etc/sysctl.d/90-tcplens.conf"), s.out());
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        Run r = run("ports", "--sample", "0s", "--sysctl-root", "/does/not/exist");
        assertNotEquals(0, r.code());
        assertEquals("tcplens: --sysctl-root: not a directory: /does/not/exist", r.err().strip());
        Run t = run("advise", "--interval", "1ms", "--sample", "1s");
        assertNotEquals(0, t.code());
        assertEquals(1, t.err().strip().lines().count(), t.err());
        Run u = run("ports", "--top", "0");
        assertNotEquals(0, u.code());
        assertTrue(u.err().contains("--top must be at least 1"));
        Run h = run("ports", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("errno 99"), h.out());
    }
}
