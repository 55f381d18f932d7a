package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.CliProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 #9: {@code tcplens lab} exits 1 when its scenario fails for real, with one line saying
 * why, and 0 when the same scenario runs. The failure is made by the kernel, not faked: the child
 * runs in a network namespace of its own ({@code unshare -n}) whose loopback is down, so every
 * connect() to 127.0.0.1 is refused with ENETUNREACH.
 */
class LabExitCodeTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private Run lab(String shellPrefix, String... args) throws Exception {
        List<String> java = CliProcess.command(List.of("--enable-native-access=ALL-UNNAMED"), args);
        List<String> cmd = new ArrayList<>(List.of("unshare", "-n", "sh", "-c", shellPrefix + " exec \"$@\"", "sh"));
        cmd.addAll(java);
        Path out = dir.resolve("out" + System.nanoTime()), err = dir.resolve("err" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("lab still running after 120 s: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean unshareWorks() throws Exception {
        try {
            return new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aScenarioThatCannotConnectExitsOneWithTheReason() throws Exception {
        assumeTrue(unshareWorks(), "unshare -n (root)");
        Run failed = lab("", "lab", "client-close", "--connections", "3");
        assertEquals(1, failed.code(), failed.out() + failed.err());
        assertEquals(1, failed.err().strip().lines().count(), "one line: " + failed.err());
        assertTrue(failed.err().startsWith("tcplens lab: the scenario failed: no connection could be made; first: connect(): Network is unreachable"),
                failed.err());
        assertTrue(failed.out().contains("ERROR connect(): Network is unreachable"), "the events still show each failure: " + failed.out());

        // the same scenario with loopback up runs and exits 0
        Run ok = lab("ip link set lo up &&", "lab", "client-close", "--connections", "3");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertEquals("", ok.err().strip());
        assertTrue(ok.out().contains("TIME_WAIT"), ok.out());
    }
}
