package io.tcplens.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the JDK's AOT cache (JEP 483/514/515) for {@code target/tcplens.jar}, run by {@code mvn package}
 * (issue 13): one training run of the window on JavaFX's headless platform (no display needed), on
 * this JVM, with the launcher's JVM options, that ends after its first poll
 * ({@code -Dtcplens.exitAfterFirstPoll=true}); the JVM writes the cache when it exits. A cache newer
 * than the jar and its libraries is kept. A cache is valid only for the very jars (paths, sizes,
 * times) and module options it was made with; a JVM given one that does not match starts without it
 * (the launchers add {@code -Xlog:aot*=off} so that says nothing). Training that fails or outlasts
 * its time leaves no cache and one line: the app then starts, only slower. Always exits 0.
 *
 * <p>Usage: {@code AotTraining CACHE JAR [JVM_OPTION...]}
 */
public final class AotTraining {
    private static final long TIMEOUT_SECONDS = 240;

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]).toAbsolutePath();
        Path jar = Path.of(args[1]).toAbsolutePath();
        List<String> options = Arrays.stream(args).skip(2).filter(a -> !a.isBlank()).toList();
        if (upToDate(cache, jar)) {
            System.out.println("tcplens: AOT cache " + cache.getFileName() + " is up to date");
            return;
        }
        Files.deleteIfExists(cache);
        Path log = cache.resolveSibling(cache.getFileName() + ".log");
        Path home = Files.createTempDirectory("tcplens-aot-");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-XX:AOTCacheOutput=" + cache,
                "-Dglass.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                // the training run leaves nothing in the user's home: preferences and JavaFX's unpacked libraries in a temporary one
                "-Duser.home=" + home, "-Djava.util.prefs.userRoot=" + home.resolve("prefs"),
                "-Dtcplens.prefs.node=tcplens-aot-training", "-Dtcplens.exitAfterFirstPoll=true",
                "-cp", jar.toString(), Main.class.getName()));
        long t0 = System.nanoTime();
        String problem = null;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                problem = "the training run took over " + TIMEOUT_SECONDS + " s";
            } else if (p.exitValue() != 0) {
                problem = "the training run ended with " + p.exitValue();
            } else if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                problem = "the training run wrote no cache";
            }
        } catch (IOException e) {
            problem = e.getMessage();
        } finally {
            deleteTree(home);
        }
        if (problem != null) {
            Files.deleteIfExists(cache);
            System.out.println("tcplens: no AOT cache (" + problem + ", see " + log + "); the app starts without it, only slower");
            return;
        }
        System.out.printf("tcplens: AOT cache %s made in %.1f s (%d MB)%n", cache.getFileName(),
                (System.nanoTime() - t0) / 1e9, Files.size(cache) >> 20);
    }

    /** The cache exists and is newer than the jar and every library next to it (lib/). */
    static boolean upToDate(Path cache, Path jar) throws IOException {
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) return false;
        FileTime made = Files.getLastModifiedTime(cache);
        List<Path> inputs = new ArrayList<>(List.of(jar));
        Path lib = jar.resolveSibling("lib");
        if (Files.isDirectory(lib)) try (Stream<Path> s = Files.list(lib)) {
            s.forEach(inputs::add);
        }
        for (Path p : inputs) if (Files.getLastModifiedTime(p).compareTo(made) >= 0) return false;
        return true;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is no reason to fail the build
        }
    }
}
