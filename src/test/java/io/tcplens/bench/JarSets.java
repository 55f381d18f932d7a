package io.tcplens.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's A/B over builds: its own main run once per jar in a child JVM (the jar and its lib/ on the class
 * path after this build's test classes, {@code flags} comma-separated before it), each child's last output line
 * printed as it ends and all of them again at the end under {@code title}.
 */
final class JarSets {
    private JarSets() {}

    static void run(Class<?> benchmark, String[] jars, String flags, String title, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of("target", "test-classes").toAbsolutePath().toString();
        int width = 8;
        for (String jar : jars) width = Math.max(width, jar.length());
        List<String> results = new ArrayList<>();
        for (String jar : jars) {
            Path j = Path.of(jar).toAbsolutePath();
            String cp = classes + File.pathSeparator + j + File.pathSeparator + j.resolveSibling("lib") + File.separator + "*";
            List<String> cmd = new ArrayList<>(List.of(java));
            for (String f : flags.split(",")) if (!f.isBlank()) cmd.add(f);
            cmd.addAll(List.of("-cp", cp, benchmark.getName()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) last = l;
            }
            p.waitFor();
            String line = String.format(Locale.ROOT, "%-" + width + "s %s", jar, last);
            System.out.println(line);
            results.add(line);
        }
        System.out.println("--- all sets (" + flags + "), " + title);
        results.forEach(System.out::println);
    }
}
