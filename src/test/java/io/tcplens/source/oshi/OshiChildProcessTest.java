package io.tcplens.source.oshi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.CliProcess;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 #19: the OSHI source on Linux starts no program — not `uname -o` through PATH (OSHI's
 * LinuxOperatingSystem did that when its class loaded), not `/sbin/ldconfig -p` (JNA did when it
 * loaded a library). Checked twice: hostile programs of those names first on the PATH (they would
 * leave a mark and hold their output open), and, where strace is installed, no execve at all.
 */
class OshiChildProcessTest {
    @TempDir Path dir;

    @Test
    void theOshiSourceRunsNoChildProcessOnLinux() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path marks = Files.createDirectories(dir.resolve("marks"));
        for (String name : new String[] {"uname", "ldconfig", "lsb_release", "getconf", "sysctl"}) {
            Path f = bin.resolve(name);
            Files.writeString(f, "#!/bin/sh\necho ran > " + marks.resolve(name) + "\nexec sleep 300\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            List<String> cmd = new ArrayList<>();
            boolean strace = Files.isExecutable(Path.of("/usr/bin/strace"));
            Path trace = dir.resolve("trace");
            if (strace) cmd.addAll(List.of("/usr/bin/strace", "-f", "-qq", "-e", "trace=execve", "-o", trace.toString()));
            cmd.addAll(CliProcess.command(List.of("--enable-native-access=ALL-UNNAMED"), "snapshot", "--source", "oshi", "--format", "csv",
                    "--port", Integer.toString(client.getLocalPort())));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Path out = dir.resolve("out"), err = dir.resolve("err");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("snapshot --source oshi still running after 120 s (held by a child?): " + Files.readString(err));
            }
            String csv = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), Files.readString(err));
            try (var marked = Files.list(marks)) {
                assertEquals(List.of(), marked.map(m -> m.getFileName().toString()).toList(), "programs run through PATH");
            }
            // the source still answers, with the owner's name (this JVM, from /proc/PID/comm)
            String row = "127.0.0.1," + client.getLocalPort() + ",127.0.0.1," + server.getLocalPort();
            String line = csv.lines().filter(l -> l.contains(row)).findFirst().orElse(null);
            assertNotNull(line, "the test's own connection: " + csv);
            assertTrue(line.contains("ESTABLISHED") && line.contains(Long.toString(ProcessHandle.current().pid())), line);
            String comm = Files.readString(Path.of("/proc/self/comm")).strip();
            assertTrue(line.contains(comm), "process name " + comm + ": " + line);
            if (strace) {
                List<String> execs = Files.readAllLines(trace).stream().filter(l -> l.contains("execve(")).toList();
                // strace's own exec of the JVM, then nothing: jspawnhelper would mean a child was started
                assertEquals(1, execs.size(), String.join("\n", execs));
                assertTrue(execs.get(0).contains("/bin/java\""), execs.get(0));
            }
        }
    }
}
