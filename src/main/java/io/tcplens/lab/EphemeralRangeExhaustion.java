package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * connect() without bind() until the ephemeral range is spent: the kernel's EADDRNOTAVAIL ("Cannot
 * assign requested address"), the error the product map names for port exhaustion. Made quick and
 * harmless in a private network namespace whose {@code ip_local_port_range} holds only the pool's
 * size of ports ({@link EphemeralRangeChild}, started with {@code unshare -n}; needs root). Its
 * sockets live in that namespace, so they are not in this window's table: the run says so.
 */
final class EphemeralRangeExhaustion implements ScenarioRun {
    static final int DEFAULT_START = 40_000;

    @Override
    public void run(LabRun r) throws IOException, LabStopped {
        LabSettings s = r.settings();
        int size = s.portPoolSize();
        int start = s.portPoolStart() != 0 ? s.portPoolStart() : DEFAULT_START;
        if (!isRoot()) throw new IOException("a private network namespace (unshare -n) needs root: run TcpLens as root for this scenario");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of("unshare", "-n", "--", java, "-cp", System.getProperty("java.class.path"),
                EphemeralRangeChild.class.getName(), Integer.toString(start), Integer.toString(size), Integer.toString(s.connections()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        r.register(() -> p.destroyForcibly());
        Endpoint server = new Endpoint(Lab.SERVER_ADDRESS, EphemeralRangeChild.SERVER_PORT);
        int ok = 0, refused = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("range ")) {
                    String[] range = line.substring(6).split(" ");
                    r.emit(LabEvent.Kind.PHASE, "ephemeralStarted", Integer.parseInt(range[0]), Integer.parseInt(range[1]));
                } else if (line.startsWith("ok ")) {
                    ok++;
                    r.progress(ok, s.connections());
                } else if (line.startsWith("fail setup ")) {
                    throw new IOException(line.substring("fail setup ".length()));
                } else if (line.startsWith("fail connect ")) {
                    refused++;
                    IOException refusal = new IOException(line.substring("fail connect ".length()));
                    r.error("connect", refusal, "ephemeralRefused", new Endpoint(Lab.SERVER_ADDRESS, 0), server, ok, server.toString());
                } else if (line.startsWith("done ")) {
                    break;
                }
            }
        } finally {
            p.getOutputStream().close();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        r.emit(LabEvent.Kind.PHASE, "ephemeralSummary", ok, refused, size);
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
