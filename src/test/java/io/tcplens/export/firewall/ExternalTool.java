package io.tcplens.export.firewall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a checking tool (nft, iptables-restore) and captures its result; finds it on PATH or in /usr/sbin, /sbin. */
final class ExternalTool {
    private ExternalTool() {}

    record Result(int exit, String output) {}

    static Path find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + out);
        }
        return new Result(p.exitValue(), out.strip());
    }

    /** The body of each {@code TOOL <<'TCPLENS_EOF'} heredoc for {@code tool} in a generated script. */
    static List<String> heredocs(String script, String tool) {
        List<String> bodies = new ArrayList<>();
        String[] lines = script.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith(tool + " ") || !lines[i].endsWith("<<'" + IptablesRules.EOF_MARK + "'")) continue;
            StringBuilder sb = new StringBuilder();
            for (i++; i < lines.length && !lines[i].equals(IptablesRules.EOF_MARK); i++) sb.append(lines[i]).append('\n');
            bodies.add(sb.toString());
        }
        return bodies;
    }
}
