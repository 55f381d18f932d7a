package io.tcplens.testutil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian's openssh-server) for one test, started inside a {@link TestNetns}
 * on its veth address: a generated host key and a generated client key in a temp directory, its
 * own sshd_config (key login for root only, no PAM, no passwords). {@link #clientDir()} is a
 * ~/.ssh-like directory with the client key and a known_hosts that holds the server's key.
 * {@link #kill()} ends the server and every session process it started; {@link #start()} brings it back.
 */
public final class TestSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    private final TestNetns ns;
    private final String address;
    private final int port;
    private final Path dir;
    private Process process;

    public static boolean usable() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen")) && TestNetns.usable();
    }

    public TestSshd(TestNetns ns, Path dir) throws IOException, InterruptedException {
        this.ns = ns;
        this.dir = dir;
        this.address = ns.linkToHost();
        this.port = 2222;
        keygen(dir.resolve("host_ed25519"));
        Path client = Files.createDirectories(dir.resolve("client"));
        keygen(client.resolve("id_ed25519"));
        Files.copy(client.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        String hostPub = Files.readString(dir.resolve("host_ed25519.pub")).strip();
        String[] f = hostPub.split("\\s+");
        Files.writeString(client.resolve("known_hosts"), "[" + address + "]:" + port + " " + f[0] + " " + f[1] + "\n");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowUsers root",
                "UsePAM no",
                "StrictModes no",
                "MaxSessions 50",
                "LogLevel ERROR",
                "") );
        Files.createDirectories(Path.of("/run/sshd"));
        start();
    }

    /** A second key pair's public half, for a known_hosts that records the wrong key. */
    public String otherHostKeyLine() throws IOException, InterruptedException {
        Path k = dir.resolve("other_" + System.nanoTime());
        keygen(k);
        String[] f = Files.readString(Path.of(k + ".pub")).strip().split("\\s+");
        return "[" + address + "]:" + port + " " + f[0] + " " + f[1];
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        if (TestNetns.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tcplens-test", "-f", key.toString()) != 0)
            throw new IOException("ssh-keygen failed for " + key);
    }

    public String uri() {
        return "ssh://root@" + address + ":" + port;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** A ~/.ssh-like directory: id_ed25519 and a known_hosts with this server's key. */
    public Path clientDir() {
        return dir.resolve("client");
    }

    /** Starts sshd (again) and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("ip", "netns", "exec", ns.name(), SSHD.toString(), "-D", "-e", "-f",
                dir.resolve("sshd_config").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive())
                    throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8));
                if (System.nanoTime() > deadline) throw new IOException("sshd did not listen on " + address + ":" + port);
                Thread.sleep(50);
            }
        }
    }

    /** Ends sshd and the session processes it started (by their ids), so open connections drop. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        for (ProcessHandle h : all) h.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle h : all) h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> h).join();
        process = null;
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
