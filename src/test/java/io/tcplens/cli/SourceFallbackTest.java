package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.Await;
import io.tcplens.testutil.CliProcess;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 #16: a source that falls back or fails is never silent. {@code auto} with netlink refused
 * says that netlink is not available, why, and which source answered instead; {@code watch} whose
 * source fails mid-run prints a warning for each failed poll, never the last table again as if it
 * were new, and exits non-zero.
 */
class SourceFallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As the launchers start it (the JDK's native-access warning is not part of what is checked). */
    private static final List<String> LAUNCHER = List.of("--enable-native-access=ALL-UNNAMED");

    @TempDir Path dir;

    /**
     * The child runs under a seccomp filter (python3-seccomp, installed by .ci/run) that refuses
     * {@code socket(AF_NETLINK, …)} with EACCES, as a hardened container's profile does: the real
     * kernel refuses, the real fallback answers.
     */
    private List<String> withoutNetlink(List<String> command) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py) && new ProcessBuilder(py.toString(), "-c", "import seccomp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0,
                "python3-seccomp (installed by .ci/run)");
        Path wrapper = dir.resolve("no-netlink.py");
        Files.writeString(wrapper, """
                import errno, os, sys, seccomp
                f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
                f.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, 16))  # AF_NETLINK
                f.load()
                os.execv(sys.argv[1], sys.argv[1:])
                """);
        List<String> cmd = new ArrayList<>(List.of(py.toString(), wrapper.toString()));
        cmd.addAll(command);
        return cmd;
    }

    private record Run(int code, String out, String err) {}

    private Run run(List<String> cmd, long seconds) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime()), err = dir.resolve("err-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", cmd) + " still running after " + seconds + " s: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void autoSaysWhichSourceAnsweredWhenNetlinkIsRefused() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"));
        String note = "tcplens: note: source 'netlink' is not available (cannot open a netlink sock_diag socket: "
                + "socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG) failed: EACCES, permission denied); reading from live · Linux /proc/net/tcp{,6}";

        Run counts;
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            counts = run(withoutNetlink(CliProcess.command(LAUNCHER, "counts", "--json")), 60);
        }
        assertEquals(0, counts.code(), counts.err());
        assertEquals(note, counts.err().strip(), "one line naming the refused source, the reason and the source that answered");
        JsonNode c = JSON.readTree(counts.out());
        assertTrue(c.path("LISTEN").asInt() >= 1, "the fallback's counts are printed (our listener among them): " + counts.out());

        Run snapshot = run(withoutNetlink(CliProcess.command(LAUNCHER, "snapshot", "--format", "json", "--port", "1")), 60);
        assertEquals(0, snapshot.code(), snapshot.err());
        assertEquals(note, snapshot.err().strip());

        Run watch = run(withoutNetlink(CliProcess.command(LAUNCHER, "watch", "--json", "--count", "1")), 60);
        assertEquals(0, watch.code(), watch.err());
        assertEquals(note, watch.err().strip());
        assertEquals("live · Linux /proc/net/tcp{,6}", JSON.readTree(watch.out().lines().findFirst().orElseThrow()).get("source").asText(),
                "each line names the source that answered");

        // asked for by name, netlink is not replaced by another source: one line, non-zero
        Run named = run(withoutNetlink(CliProcess.command(LAUNCHER, "counts", "--source", "netlink")), 60);
        assertEquals(1, named.code());
        assertEquals("", named.out());
        assertEquals(1, named.err().strip().lines().count(), named.err());
        assertTrue(named.err().contains("source 'netlink' is not available") && named.err().contains("EACCES"), named.err());
    }

    @Test
    void watchWhoseSourceFailsMidRunNeverRepeatsOldDataAndExitsNonZero() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")));
        // a /proc root of the test's own: net/tcp{,6} as the kernel wrote them a moment ago
        Path net = Files.createDirectories(dir.resolve("proc/net"));
        Path tcp = net.resolve("tcp"), tcp6 = net.resolve("tcp6");
        Files.write(tcp, Files.readAllBytes(Path.of("/proc/net/tcp")));
        Files.write(tcp6, Files.readAllBytes(Path.of("/proc/net/tcp6")));
        Path out = dir.resolve("watch.out"), err = dir.resolve("watch.err");
        Process p = new ProcessBuilder(CliProcess.command(LAUNCHER, "watch", "--json", "--source", "proc:" + dir.resolve("proc"),
                "--interval", "100ms", "--count", "150")) // 15 s: room for the waits below on a loaded machine
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            Await.untilChecked(() -> Files.readAllLines(out).size() >= 2, Duration.ofSeconds(60), "two polls printed");
            // the table goes away mid-run (a real file, really removed): the polls fail
            Path aside = dir.resolve("tcp.aside");
            Files.move(tcp, aside);
            Files.move(tcp6, dir.resolve("tcp6.aside"));
            Await.untilChecked(() -> Files.readString(err).lines().filter(l -> l.contains("poll failed")).count() >= 3,
                    Duration.ofSeconds(30), "three failed polls reported");
            int printedWhileFailing = Files.readAllLines(out).size();
            Await.untilChecked(() -> Files.readString(err).lines().filter(l -> l.contains("poll failed")).count() >= 5,
                    Duration.ofSeconds(30), "five failed polls reported");
            assertEquals(printedWhileFailing, Files.readAllLines(out).size(), "no table printed while the source fails");
            Files.move(aside, tcp);
            Await.untilChecked(() -> Files.readAllLines(out).size() > printedWhileFailing, Duration.ofSeconds(30), "polls resume");
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "watch --count ends");
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertEquals(1, p.exitValue(), "failed polls make the exit code non-zero");
        List<String> lines = Files.readAllLines(out);
        long previous = Long.MIN_VALUE;
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertTrue(n.get("error").isNull(), "a printed line is a good poll: " + l);
            long t = Instant.parse(n.get("time").asText()).toEpochMilli();
            assertTrue(t > previous, "every printed table is new (time strictly increasing): " + lines);
            previous = t;
        }
        List<String> errLines = Files.readAllLines(err);
        assertTrue(errLines.stream().filter(l -> l.startsWith("tcplens: warning: poll failed, no data for ")).allMatch(l -> l.contains("does not exist")),
                String.join("\n", errLines));
        String last = errLines.get(errLines.size() - 1);
        assertTrue(last.matches("tcplens: \\d+ poll\\(s\\) failed \\(see the warnings above\\)"), last);
        assertEquals(150, lines.size() + errLines.size() - 1, "every poll is either printed or reported failed: " + errLines);
    }

    /**
     * The same on netlink itself: strace's fault injection makes the kernel call fail for real — the
     * 8th to 11th {@code sendto} on the netlink socket return ENOBUFS — in a running {@code watch}.
     */
    @Test
    void watchWhoseNetlinkFailsMidRunReportsEachFailedPollAndExitsOne() throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        assumeTrue(Files.isExecutable(strace), "strace (installed by .ci/run)");
        List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null",
                "-e", "trace=sendto", "-e", "inject=sendto:error=ENOBUFS:when=8..11"));
        cmd.addAll(CliProcess.command(LAUNCHER, "watch", "--json", "--source", "netlink", "--interval", "200ms", "--count", "15"));
        Run r = run(cmd, 120);
        assertEquals(1, r.code(), r.err());
        List<String> failures = r.err().lines().filter(l -> l.startsWith("tcplens: warning: poll failed, no data for ")).toList();
        assertFalse(failures.isEmpty(), r.err());
        // strace counts a syscall's invocations per traced thread (its inject vector is copied into each
        // tracee), so sendto calls 8..11 of a second thread that sends fail too: at load 20-25 a fifth
        // failure came from one. What must hold is that some polls failed and some did not.
        assertTrue(failures.size() < 15, "some polls succeeded: " + r.err());
        assertTrue(failures.stream().allMatch(l -> l.contains("sendto(netlink) failed: ENOBUFS")), r.err());
        assertTrue(r.err().strip().endsWith("tcplens: " + failures.size() + " poll(s) failed (see the warnings above)"), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(15 - failures.size(), lines.size(), "every poll is printed or reported failed, never both: " + r.out());
        long previous = Long.MIN_VALUE;
        for (String l : lines) {
            long t = Instant.parse(JSON.readTree(l).get("time").asText()).toEpochMilli();
            assertTrue(t > previous, "no table printed twice: " + r.out());
            previous = t;
        }
    }
}
