package io.tcplens.testutil;

import io.tcplens.model.TcpState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs iproute2's {@code ss -tano} and parses it, as the reference the engine is checked against. */
public final class Ss {
    private Ss() {}

    /** One line of ss: state, local "addr:port", peer "addr:port", TIME_WAIT remaining ms or -1. */
    public record Row(TcpState state, String local, int localPort, String peer, int peerPort, long timerMs) {}

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("ss", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static final Pattern TIMER = Pattern.compile("timer:\\(timewait,(?:(\\d+)min)?(?:(\\d+)sec)?(?:(\\d+)ms)?");

    public static List<Row> tano() throws IOException, InterruptedException {
        return tano(List.of());
    }

    /** {@code ss -tanoH} run behind {@code prefix}, e.g. {@code ip netns exec NAME}. */
    public static List<Row> tano(List<String> prefix) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ss", "-tanoH"));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return parse(out);
    }

    /** Parses the output of {@code ss -tanoH}. */
    public static List<Row> parse(String out) {
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) continue;
            TcpState s = TcpState.parse(f[0]).orElse(null);
            if (s == null) continue;
            int lc = f[3].lastIndexOf(':'), pc = f[4].lastIndexOf(':');
            String peerPort = f[4].substring(pc + 1);
            long timer = -1;
            Matcher m = TIMER.matcher(line);
            if (m.find()) {
                timer = (m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 60_000)
                        + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 1000)
                        + (m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
            }
            rows.add(new Row(s, strip(f[3].substring(0, lc)), Integer.parseInt(f[3].substring(lc + 1)),
                    strip(f[4].substring(0, pc)), peerPort.equals("*") ? 0 : Integer.parseInt(peerPort), timer));
        }
        return rows;
    }

    private static String strip(String a) {
        String s = a.startsWith("[") ? a.substring(1, a.length() - 1) : a;
        if (s.startsWith("::ffff:") && s.contains(".")) s = s.substring(7);
        int pct = s.indexOf('%');
        return pct >= 0 ? s.substring(0, pct) : s;
    }
}
