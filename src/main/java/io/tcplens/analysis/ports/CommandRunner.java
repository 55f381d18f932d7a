package io.tcplens.analysis.ports;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short OS command and returns its output lines (empty when it fails). Tests substitute captured text. */
@FunctionalInterface
public interface CommandRunner {
    List<String> run(String... command);

    /** Runs the command with a 5 s limit; any failure gives an empty list. */
    static CommandRunner system() {
        return command -> {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readNBytes(64 * 1024);
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return List.of();
                }
                return p.exitValue() == 0 ? new String(out, Charset.defaultCharset()).lines().toList() : List.of();
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        };
    }
}
