package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.CliProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run as an unprivileged user ({@code nobody}, via setpriv, no capabilities): events are off with one
 * line that says why, and polling goes on. The test's class path is copied where that user can read it.
 */
class EventsWithoutPrivilegeTest {
    @TempDir Path tmp;

    @Test
    void nobodyGetsOneLineAndPollingWorks() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to nobody");
        assumeTrue(EventNetns.run("setpriv", "--help") == 0, "setpriv is missing");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) continue;
            Path to = tmp.resolve((i++) + "-" + from.getFileName());
            copy(from, to);
            cp.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.toList())
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        Result watch = runAsNobody(cp, "watch", "--events", "--count", "2", "--interval", "200ms");
        assertEquals(0, watch.code, watch.err);
        List<String> errLines = watch.err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, errLines.size(), "one line says why: " + watch.err);
        assertTrue(errLines.get(0).startsWith("tcplens: events: off (needs root or CAP_BPF + CAP_PERFMON"), errLines.get(0));
        assertEquals(2, watch.out.lines().filter(l -> l.contains(" total=")).count(), "polling works: " + watch.out);

        Result events = runAsNobody(cp, "events", "--count", "1");
        assertEquals(1, events.code, events.err);
        List<String> lines = events.err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), events.err);
        assertTrue(lines.get(0).contains("events: off (needs root or CAP_BPF + CAP_PERFMON; running as uid 65534"), lines.get(0));
    }

    private record Result(int code, String out, String err) {}

    private Result runAsNobody(List<String> cp, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all"));
        List<String> java = CliProcess.command(List.of("--enable-native-access=ALL-UNNAMED",
                "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs")), args);
        int at = java.indexOf("-cp");
        java.set(at + 1, String.join(File.pathSeparator, cp));
        cmd.addAll(java);
        Path out = tmp.resolve("out.txt"), err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("tcplens " + String.join(" ", args) + " did not end");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
