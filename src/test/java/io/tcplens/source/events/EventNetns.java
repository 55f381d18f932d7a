package io.tcplens.source.events;

import io.tcplens.testutil.PrivateNetns;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A network namespace of one test ({@code ip netns add}, loopback up), its inode (the events filter),
 * and a python3 child inside it that talks to the test over stdin/stdout.
 */
final class EventNetns implements AutoCloseable {
    final String name;
    final long inode;
    private final PrivateNetns ns;
    private PrivateNetns.Worker child;

    EventNetns() throws IOException, InterruptedException {
        ns = PrivateNetns.create("ev");
        name = ns.name();
        try {
            inode = EventSupport.netnsInode(Path.of("/run/netns", name));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** {@code sysctl -w key=value} inside the namespace (namespaced sysctls only). */
    void sysctl(String key, String value) throws IOException {
        ns.sysctl(key + "=" + value);
    }

    /** Starts {@code python3 -c script args} inside the namespace. */
    void python(String script, String... args) throws IOException {
        child = ns.python(script, args);
    }

    String readLine() throws IOException {
        return child.readLine();
    }

    void send(String line) throws IOException {
        child.send(line);
    }

    /** Runs a command on the host; its exit code. */
    static int run(String... cmd) {
        return PrivateNetns.host(cmd).exit();
    }

    @Override
    public void close() {
        ns.close();
    }
}
