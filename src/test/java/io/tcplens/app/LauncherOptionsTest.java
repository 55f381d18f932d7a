package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 #17: every launcher caps the heap — pom.xml's {@code app.jvm.flags} (exec:exec and the
 * installers' jpackage arguments) and the README's {@code java} lines — and the exporter's systemd
 * unit still gets its own smaller heap: a real JVM started with the launcher's options and the
 * unit's environment ends up with the unit's heap, and with the launcher's without it.
 */
class LauncherOptionsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static String appFlags() throws Exception {
        Matcher m = Pattern.compile("<app\\.jvm\\.flags>([^<]*)</app\\.jvm\\.flags>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml defines app.jvm.flags");
        return m.group(1).strip();
    }

    /**
     * A real JVM's final flags (-XX:+PrintFlagsFinal) with these options and environment (the caller's
     * JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and JDK_JAVA_OPTIONS removed first): flag name to its printed value.
     */
    private static Map<String, String> finalFlags(List<String> flags, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Map<String, String> values = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)").matcher(out);
        while (m.find()) values.put(m.group(1), m.group(2));
        assertTrue(values.containsKey("MaxHeapSize"), out);
        return values;
    }

    @Test
    void everyOneOfTheLaunchersOptionsTakesEffectInARealJvm() throws Exception {
        // an option the JVM ignores, or one that needs an unlock flag the launchers lack, would fail here
        List<String> launcher = Arrays.asList(appFlags().split("\\s+"));
        Map<String, String> values = finalFlags(launcher, Map.of());
        for (String f : launcher) {
            Matcher bool = Pattern.compile("-XX:([+-])(\\w+)").matcher(f);
            Matcher num = Pattern.compile("-XX:(\\w+)=(\\d+[kKmMgG]?)").matcher(f);
            if (bool.matches()) {
                assertEquals(bool.group(1).equals("+") ? "true" : "false", values.get(bool.group(2)), f);
            } else if (num.matches()) {
                String v = num.group(2);
                long expected = Character.isDigit(v.charAt(v.length() - 1)) ? Long.parseLong(v) : parse(v);
                assertEquals(Long.toString(expected), values.get(num.group(1)), f);
            } else if (f.startsWith("-Xmx")) {
                assertEquals(Long.toString(parse(f.substring(4))), values.get("MaxHeapSize"), f);
            }
        }
    }

    private static long heapCap(List<String> flags, Map<String, String> env) throws Exception {
        return Long.parseLong(finalFlags(flags, env).get("MaxHeapSize"));
    }

    @Test
    void everyLauncherCapsTheHeapAndTheExporterUnitKeepsItsOwn() throws Exception {
        String flags = appFlags();
        assertTrue(flags.matches(".*-Xmx\\d+[mg]\\b.*"), "a heap cap in app.jvm.flags: " + flags);
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertTrue(pom.contains("<commandlineArgs>${app.jvm.flags} ${jvm.flags}"), "exec:exec starts with the app's options");
        assertTrue(Files.readString(ROOT.resolve("packaging/app-image.args")).contains("--java-options \"${app.jvm.flags} ${jvm.flags}\""),
                "the installers' launchers take the app's options");
        String xmx = Arrays.stream(flags.split("\\s+")).filter(f -> f.startsWith("-Xmx")).findFirst().orElseThrow();
        List<String> javaLines = Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(l -> l.contains("bin/java ") && l.contains("-jar target/tcplens.jar")).toList();
        assertFalse(javaLines.isEmpty());
        for (String l : javaLines) assertTrue(l.contains(xmx), "README's java line carries " + xmx + ": " + l);
        // the window's java line carries every one of the launchers' memory options, not only the cap
        List<String> windowLines = javaLines.stream().filter(l -> l.strip().endsWith("-jar target/tcplens.jar")).toList();
        assertFalse(windowLines.isEmpty(), "README has the window's java line");
        for (String l : windowLines)
            for (String f : flags.split("\\s+")) assertTrue(Arrays.asList(l.trim().split("\\s+")).contains(f), "README's window line carries " + f + ": " + l);
        // the window soak's default options are the launchers' (its figures stand for the installed app)
        Matcher soak = Pattern.compile("LAUNCHER_FLAGS = ((?:\\s*\\+?\\s*\"[^\"]*\")+);")
                .matcher(Files.readString(ROOT.resolve("src/test/java/io/tcplens/bench/SoakBenchmark.java")));
        assertTrue(soak.find(), "SoakBenchmark names the launchers' options");
        assertEquals(String.join(",", flags.split("\\s+")), soak.group(1).replaceAll("\"\\s*\\+?\\s*\"|\"|\\s", ""),
                "SoakBenchmark's default options are pom.xml's app.jvm.flags");
        // the AOT cache is trained with the launchers' options (a cache made with other GC or header options is refused)
        assertTrue(pom.contains("io.tcplens.app.AotTraining ${project.build.directory}/tcplens.aot ${project.build.directory}/${project.build.finalName}.jar ${app.jvm.flags} ${jvm.flags}"),
                "mvn package trains the AOT cache with app.jvm.flags");

        List<String> launcher = Arrays.asList(flags.split("\\s+"));
        long cap = heapCap(launcher, Map.of());
        assertEquals(parse(xmx.substring(4)), cap, "the launcher's cap is the heap's");

        Matcher unit = Pattern.compile("Environment=\"_JAVA_OPTIONS=([^\"]*)\"")
                .matcher(Files.readString(ROOT.resolve("packaging/linux/input/tcplens-serve.service")));
        assertTrue(unit.find(), "the exporter's unit sets its heap in _JAVA_OPTIONS (read after the launcher's options)");
        String unitXmx = Arrays.stream(unit.group(1).split("\\s+")).filter(f -> f.startsWith("-Xmx")).findFirst().orElseThrow();
        assertEquals(parse(unitXmx.substring(4)), heapCap(launcher, Map.of("_JAVA_OPTIONS", unit.group(1))),
                "the unit's heap wins over the launcher's");
    }

    private static long parse(String size) {
        long n = Long.parseLong(size.substring(0, size.length() - 1));
        return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'g' -> n << 30;
            case 'm' -> n << 20;
            case 'k' -> n << 10;
            default -> throw new IllegalArgumentException(size);
        };
    }
}
