package io.tcplens.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tcplens serve} as a separate process on a large real table: this process opens loopback
 * connections to 50 listeners (both ends here, so about 2 × PAIRS sockets), starts the exporter
 * ({@code io.tcplens.app.Main serve}, interval 5 s unless given), lets it settle, then measures
 * over the given time its CPU (utime + stime from /proc/PID/stat), its resident memory (VmRSS,
 * VmHWM), the poll cost it reports, and the cost and size of a scrape in both formats.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.ServeBenchmark -Dtcplens.args="9800 60 5s"</pre>
 * JVM options of the exporter process, comma-separated: -Djvm.flags="-Dserve.jvm=-Xmx64m,-XX:+UseSerialGC". Needs {@code ulimit -n} above 2 × PAIRS + 100.
 */
public final class ServeBenchmark {
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 9800;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        String interval = args.length > 2 ? args[2] : "5s";
        List<AutoCloseable> open = new ArrayList<>();
        Process serve = null;
        try {
            List<ServerSocketChannel> servers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
                servers.add(s);
                open.add(s);
            }
            for (int i = 0; i < pairs; i++) {
                ServerSocketChannel s = servers.get(i % servers.size());
                open.add(SocketChannel.open(s.getLocalAddress()));
                open.add(s.accept());
            }
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
            String extra = System.getProperty("serve.jvm", "").strip();
            if (!extra.isEmpty()) cmd.addAll(Arrays.asList(extra.split("[,\\s]+")));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tcplens.app.Main", "serve", "--listen", "127.0.0.1:0",
                    "--interval", interval));
            Path log = Files.createTempFile("serve-bench", ".log");
            serve = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Pattern said = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics");
            Matcher m = said.matcher("");
            while (serve.isAlive() && !(m = said.matcher(Files.readString(log))).find()) Thread.sleep(100);
            if (!m.hasMatch()) throw new IllegalStateException("serve did not start: " + Files.readString(log));
            int port = Integer.parseInt(m.group(1));
            long pid = serve.pid();
            HttpClient http = HttpClient.newHttpClient();
            Thread.sleep(15_000); // JIT and the first polls

            long cpu0 = cpuTicks(pid), t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = cpuTicks(pid), t1 = System.nanoTime();
            double cpuSeconds = (cpu1 - cpu0) / 100.0, wall = (t1 - t0) / 1e9;

            double[] text = new double[20], om = new double[20];
            int textBytes = 0, omBytes = 0;
            String body = "";
            for (int i = 0; i < text.length; i++) {
                long a = System.nanoTime();
                body = get(http, port, "text/plain");
                text[i] = (System.nanoTime() - a) / 1e6;
                textBytes = body.length();
                a = System.nanoTime();
                omBytes = get(http, port, "application/openmetrics-text;version=1.0.0").length();
                om[i] = (System.nanoTime() - a) / 1e6;
            }
            Arrays.sort(text);
            Arrays.sort(om);
            long series = body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            System.out.printf(Locale.ROOT, "table: %s sockets (tcplens_sockets total), interval %s, load average %s%n",
                    sum(body, "tcplens_sockets{"), interval, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            System.out.printf(Locale.ROOT, "exporter CPU: %.2f s over %.0f s = %.1f %% of one core%n", cpuSeconds, wall, 100 * cpuSeconds / wall);
            System.out.printf(Locale.ROOT, "exporter memory: VmRSS %s, VmHWM %s (JVM options: %s)%n", field(status, "VmRSS"), field(status, "VmHWM"),
                    extra.isEmpty() ? "defaults" : extra);
            System.out.printf(Locale.ROOT, "last poll (its own report): %.1f ms%n", 1000 * value(body, "tcplens_poll_duration_seconds"));
            System.out.printf(Locale.ROOT, "scrape, text 0.0.4: p50 %.2f ms, max %.2f ms, %,d bytes, %d series%n", text[10], text[19], textBytes, series);
            System.out.printf(Locale.ROOT, "scrape, OpenMetrics: p50 %.2f ms, max %.2f ms, %,d bytes%n", om[10], om[19], omBytes);
        } finally {
            if (serve != null) {
                serve.destroy();
                if (!serve.waitFor(10, TimeUnit.SECONDS)) serve.destroyForcibly();
            }
            for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        }
    }

    private static String get(HttpClient http, int port, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse("?");
    }

    private static double value(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    private static long sum(String body, String prefix) {
        return Math.round(body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
    }
}
