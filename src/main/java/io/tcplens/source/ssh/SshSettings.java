package io.tcplens.source.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the user's SSH material is: the directory (normally {@code ~/.ssh}, or the system property
 * {@code tcplens.ssh.dir}) with {@code known_hosts}, {@code config} and the private keys, and the
 * agent's socket ({@code SSH_AUTH_SOCK}).
 *
 * @param knownHosts the only source of trust: a host whose key is not here is refused
 * @param config     OpenSSH client config (HostName, User, Port, IdentityFile are honoured), may not exist
 * @param defaultKeys the keys tried when the config names none (id_ed25519, id_ecdsa, id_rsa that exist)
 * @param agentSocket the ssh-agent socket, or null
 */
public record SshSettings(Path knownHosts, Path config, List<Path> defaultKeys, Path agentSocket) {
    public static final String DIR_PROPERTY = "tcplens.ssh.dir";

    /** The settings of the user running TcpLens. */
    public static SshSettings ofUser() {
        String dir = System.getProperty(DIR_PROPERTY);
        Path d = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".ssh");
        String sock = System.getenv("SSH_AUTH_SOCK");
        return ofDirectory(d, sock == null || sock.isBlank() ? null : Path.of(sock));
    }

    public static SshSettings ofDirectory(Path dir, Path agentSocket) {
        List<Path> keys = new ArrayList<>();
        for (String n : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            Path k = dir.resolve(n);
            if (Files.isReadable(k)) keys.add(k);
        }
        return new SshSettings(dir.resolve("known_hosts"), dir.resolve("config"), List.copyOf(keys), agentSocket);
    }
}
