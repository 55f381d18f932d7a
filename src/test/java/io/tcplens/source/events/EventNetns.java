package io.tcplens.source.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of one test ({@code ip netns add}, loopback up), its inode (the events filter),
 * and a python3 child inside it that talks to the test over stdin/stdout.
 */
final class EventNetns implements AutoCloseable {
    final String name;
    final long inode;
    private Process child;
    private BufferedReader out;
    private OutputStream in;

    EventNetns() throws IOException, InterruptedException {
        name = "tcplens-ev-" + UUID.randomUUID().toString().substring(0, 8);
        if (run("ip", "netns", "add", name) != 0) throw new IOException("ip netns add " + name + " failed");
        if (run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up") != 0) {
            close();
            throw new IOException("cannot bring lo up in " + name);
        }
        inode = EventSupport.netnsInode(Path.of("/run/netns", name));
    }

    /** {@code sysctl -w key=value} inside the namespace (namespaced sysctls only). */
    void sysctl(String key, String value) throws IOException, InterruptedException {
        if (run("ip", "netns", "exec", name, "sysctl", "-q", "-w", key + "=" + value) != 0)
            throw new IOException("sysctl " + key + " in " + name + " failed");
    }

    /** Starts {@code python3 -c script args} inside the namespace. */
    void python(String script, String... args) throws IOException {
        String[] cmd = new String[7 + args.length];
        cmd[0] = "ip"; cmd[1] = "netns"; cmd[2] = "exec"; cmd[3] = name; cmd[4] = "python3"; cmd[5] = "-c"; cmd[6] = script;
        System.arraycopy(args, 0, cmd, 7, args.length);
        child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        in = child.getOutputStream();
    }

    String readLine() throws IOException {
        return out.readLine();
    }

    void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Override
    public void close() {
        if (child != null) child.destroyForcibly();
        try {
            if (child != null) child.waitFor(5, TimeUnit.SECONDS);
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
