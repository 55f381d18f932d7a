package io.tcplens.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on a free loopback port with its
 * own config and storage in a temporary directory, scraping one target every second. Always ended
 * by {@link #close()}, and by a shutdown hook should the test JVM end first.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Thread hook;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static boolean installed() {
        return onPath("prometheus") && onPath("promtool");
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
            if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    /** Starts Prometheus scraping {@code target} (host:port) every second; waits until it is ready. */
    public PrometheusServer(Path dir, String target) throws IOException, InterruptedException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: tcplens
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        Files.createDirectories(dir.resolve("data"));
        this.log = dir.resolve("prometheus.log");
        int p;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            p = s.getLocalPort();
        }
        this.port = p;
        process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        hook = new Thread(process::destroyForcibly, "prometheus-killer");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                close();
                throw new IOException("prometheus exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) break;
            } catch (IOException ignored) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IOException("prometheus not ready within 60 s: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/v1/... and the "data" member of a successful answer. */
    public JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/" + path);
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(n.path("status").asText()))
            throw new IOException("prometheus " + path + ": " + r.statusCode() + " " + r.body());
        return n.get("data");
    }

    /** An instant PromQL query; the result vector. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is ending: the hook runs anyway
        }
    }
}
