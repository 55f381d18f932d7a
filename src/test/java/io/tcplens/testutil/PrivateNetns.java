package io.tcplens.testutil;

import io.tcplens.app.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An empty network namespace for one test ({@code ip netns add}, loopback up), and what the kernel
 * tests do in it: set namespaced sysctls, run a command ({@code ip netns exec}), start a
 * {@link NetnsSocketWorker} and run {@code tcplens} inside it. Closing stops the workers and deletes
 * the namespace; a shutdown hook deletes it if the JVM ends first. The name says who made it
 * ({@code tl-PREFIX-PID-N}).
 *
 * <p>For a namespace with a socket-holding child already in it, see {@link TestNetns}.
 */
public final class PrivateNetns implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** A command's exit code and output. 127: it could not be started. */
    public record Result(int exit, String out) {}

    private final String name;
    private final Thread hook;
    private final List<Process> workers = new ArrayList<>();

    private PrivateNetns(String name) {
        this.name = name;
        this.hook = new Thread(() -> host("ip", "netns", "del", name), "netns-cleanup-" + name);
    }

    /** Why this machine cannot make one (not root, no {@code ip netns}), or null when it can. */
    public static String unavailableReason() {
        return ScaleTable.netnsUnavailableReason();
    }

    /** Makes {@code tl-PREFIX-PID-N} with loopback up. */
    public static PrivateNetns create(String prefix) throws IOException {
        PrivateNetns ns = new PrivateNetns("tl-" + prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        Runtime.getRuntime().addShutdownHook(ns.hook);
        try {
            mustOnHost("ip", "netns", "add", ns.name);
            ns.ip("link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec NAME cmd…}, as a command line. */
    public List<String> inside(String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(cmd));
        return all;
    }

    /** Runs a command inside; stdout and stderr together. */
    public Result run(String... cmd) {
        return run(inside(cmd), true);
    }

    /** Runs a command inside and fails with its output unless it exits 0. */
    public void must(String... cmd) throws IOException {
        check(run(cmd), inside(cmd));
    }

    /** {@code ip -n NAME args…} (fails unless it exits 0). */
    public void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        check(run(cmd, true), cmd);
    }

    /** Sets namespaced sysctls, each {@code key=value}, in one {@code sysctl -w}. */
    public void sysctl(String... settings) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        cmd.addAll(List.of(settings));
        must(cmd.toArray(String[]::new));
    }

    /** {@code ss ARGS} inside: its stdout alone (ss complains of cgroup2 on stderr here); fails unless it exits 0. */
    public String ss(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ss"));
        cmd.addAll(List.of(args));
        Result r = run(inside(cmd.toArray(String[]::new)), false);
        check(r, cmd);
        return r.out();
    }

    /**
     * Starts a {@link NetnsSocketWorker} inside with these commands and waits for its {@code READY};
     * its stdin takes further commands and its stdout answers. Stopped by {@link #close()}.
     */
    public Worker worker(List<String> commands) throws IOException {
        List<String> cmd = inside(java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                NetnsSocketWorker.class.getName());
        cmd.addAll(commands);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        workers.add(p);
        Worker w = new Worker(p);
        String ready = w.readLine();
        if (!"READY".equals(ready))
            throw new IOException("socket worker in " + name + " (" + String.join(" ", commands) + ") said " + ready);
        return w;
    }

    /**
     * Starts {@code python3 -c script args…} inside; it talks to the test over its stdin and stdout.
     * Stopped by {@link #close()}.
     */
    public Worker python(String script, String... args) throws IOException {
        List<String> cmd = inside("python3", "-c", script);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        workers.add(p);
        return new Worker(p);
    }

    /** {@link #worker(List)} with the commands listed. */
    public Worker worker(String... commands) throws IOException {
        return worker(List.of(commands));
    }

    /** {@code tcplens ARGS} inside, in a fresh JVM from the test class path; its stdout. Fails unless it exits 0 within 60 s. */
    public String tcplens(String... args) throws IOException, InterruptedException {
        List<String> cmd = inside(java(), "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        cmd.addAll(List.of(args));
        File err = Files.createTempFile("tcplens-netns", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tcplens " + String.join(" ", args) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0)
                throw new AssertionError("tcplens " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
                        + Files.readString(err.toPath()) + out);
            return out;
        } finally {
            err.delete();
        }
    }

    @Override
    public void close() {
        for (Process p : workers) p.destroyForcibly();
        for (Process p : workers) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        host("ip", "netns", "del", name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** A socket worker's stdin and stdout. */
    public static final class Worker {
        private final Process process;
        private final BufferedReader out;

        private Worker(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        /** Sends one command line. */
        public void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }

        /** Its pid as the host sees it ({@code ip netns exec} runs the command in its own process). */
        public long pid() {
            return process.pid();
        }

        /** Its next line, or null when it ended. */
        public String readLine() throws IOException {
            return out.readLine();
        }
    }

    /** Runs a command on the host (best effort: the result says how it went). */
    public static Result host(String... cmd) {
        return run(List.of(cmd), true);
    }

    /** Runs a command on the host and fails with its output unless it exits 0. */
    public static void mustOnHost(String... cmd) throws IOException {
        check(host(cmd), List.of(cmd));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void check(Result r, List<String> cmd) throws IOException {
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out());
    }

    /** Stderr goes with stdout when {@code mergeErr}, else away. */
    private static Result run(List<String> cmd, boolean mergeErr) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (mergeErr) pb.redirectErrorStream(true);
            else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
