package io.tcplens.source.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Vector;

/**
 * One SSH session to a server through JSch, kept open and reused: each {@link #exec} opens a
 * channel on it. Host keys are checked against known_hosts only ({@code StrictHostKeyChecking=yes}
 * whatever the config says): an unknown or changed key is refused with a message that gives the
 * fingerprint. Authentication: the agent's keys, then the config's IdentityFile or the default keys.
 */
final class SshConnection implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 10_000;
    /** A channel's output is bounded: a table of a million sockets is ~150 MB of text; refuse beyond. */
    static final long MAX_OUTPUT_BYTES = 512L * 1024 * 1024;
    static final long EXEC_TIMEOUT_NANOS = 30_000_000_000L;

    /** Collects a channel's output up to {@link #MAX_OUTPUT_BYTES}; beyond, drops it and says so. */
    private static final class Bounded extends ByteArrayOutputStream {
        volatile boolean overflow;

        Bounded() {
            super(64 * 1024);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + (long) len > MAX_OUTPUT_BYTES) overflow = true;
            else super.write(b, off, len);
            notifyAll();
        }

        @Override
        public synchronized void reset() {
            super.reset();
            overflow = false;
        }

        /** The bytes after {@code from}, waiting up to {@code millis} for some; empty when none came. */
        synchronized byte[] await(int from, long millis) throws InterruptedException {
            if (count <= from) wait(millis);
            return count <= from ? new byte[0] : Arrays.copyOfRange(buf, from, count);
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1L > MAX_OUTPUT_BYTES) overflow = true;
            else super.write(b);
            notifyAll();
        }

        @Override
        public synchronized byte[] toByteArray() {
            return super.toByteArray();
        }
    }

    /** A refusal that a retry cannot fix (host key, authentication, bad settings). */
    static final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a command printed and how it ended; {@code channelNanos} ≈ one round trip (channel open). */
    record Result(byte[] out, String err, int exitStatus, long channelNanos) {}

    private final SshTarget target;
    private final SshSettings settings;
    private final String user;
    private final String host;
    private final int port;
    private final List<Path> keys;
    private Session session;
    private OfferedKey offered;

    SshConnection(SshTarget target, SshSettings settings) throws Refused {
        this.target = target;
        this.settings = settings;
        ConfigRepository.Config cfg = null;
        if (Files.isReadable(settings.config())) {
            try {
                cfg = OpenSSHConfig.parseFile(settings.config().toString()).getConfig(target.host());
            } catch (IOException | RuntimeException e) {
                throw new Refused("cannot read " + settings.config() + ": " + e.getMessage(), e);
            }
        }
        String cfgHost = cfg == null ? null : cfg.getHostname();
        String cfgUser = cfg == null ? null : cfg.getUser();
        int cfgPort = cfg == null ? -1 : cfg.getPort();
        this.host = cfgHost != null && !cfgHost.isBlank() ? cfgHost : target.host();
        this.user = target.user() != null ? target.user() : cfgUser != null ? cfgUser : System.getProperty("user.name");
        this.port = target.port() > 0 ? target.port() : cfgPort > 0 ? cfgPort : 22;
        List<Path> k = new ArrayList<>();
        String[] files = cfg == null ? null : cfg.getValues("IdentityFile");
        if (files != null) for (String f : files) {
            Path p = Path.of(f.startsWith("~/") ? System.getProperty("user.home") + f.substring(1) : f);
            if (Files.isReadable(p)) k.add(p);
        }
        if (k.isEmpty()) k.addAll(settings.defaultKeys());
        this.keys = List.copyOf(k);
    }

    String user() {
        return user;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** "user@host:port" as connected. */
    String endpoint() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    boolean isOpen() {
        return session != null && session.isConnected();
    }

    /**
     * Opens the session when it is not open.
     *
     * @throws Refused when retrying cannot help (host key, no key accepted, no known_hosts)
     * @throws IOException when the server cannot be reached or the connection broke
     */
    synchronized void ensureOpen() throws Refused, IOException {
        if (isOpen()) return;
        drop();
        if (!Files.isReadable(settings.knownHosts()))
            throw new Refused("cannot check " + target.host() + "'s host key: " + settings.knownHosts()
                    + " does not exist (connect once with ssh, after checking the fingerprint, to record it)", null);
        JSch jsch = new JSch();
        Session s;
        try {
            jsch.setKnownHosts(settings.knownHosts().toString());
            offered = new OfferedKey(jsch.getHostKeyRepository());
            jsch.setHostKeyRepository(offered);
            for (Path key : keys) {
                try {
                    jsch.addIdentity(key.toString());
                } catch (JSchException e) {
                    // an encrypted key without its passphrase, or a format JSch does not read: the agent may have it
                }
            }
            IdentityRepository files = jsch.getIdentityRepository();
            s = jsch.getSession(user, host, port);
            IdentityRepository agent = agent();
            if (agent != null) s.setIdentityRepository(new Both(agent, files));
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setTimeout(CONNECT_TIMEOUT_MS);
            s.setServerAliveInterval(15_000);
            s.setServerAliveCountMax(2);
            s.connect(CONNECT_TIMEOUT_MS);
        } catch (JSchUnknownHostKeyException e) {
            throw new Refused("refusing " + hostPort() + ": its host key is not in " + settings.knownHosts()
                    + fingerprint(e) + " — check the fingerprint with the server's administrator, then add it"
                    + " (e.g. connect once with ssh); TcpLens never trusts an unknown key", e);
        } catch (JSchChangedHostKeyException e) {
            throw new Refused("refusing " + hostPort() + ": its host key CHANGED since it was recorded in "
                    + settings.knownHosts() + fingerprint(e)
                    + " — this may be an attack or a reinstalled server; ask its administrator before replacing the entry", e);
        } catch (JSchHostKeyException e) {
            throw new Refused("refusing " + hostPort() + ": host key not accepted: " + e.getMessage(), e);
        } catch (JSchException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Auth fail") || m.contains("Auth cancel"))
                throw new Refused(endpoint() + " accepted none of the keys offered ("
                        + (keys.isEmpty() ? "no key file" : keys.size() + " key file(s)")
                        + (settings.agentSocket() != null ? ", the agent's keys" : "") + ")", e);
            if (m.contains("invalid privatekey") || m.contains("invalid known_hosts"))
                throw new Refused("cannot use the SSH settings: " + m, e);
            throw new IOException("cannot connect to " + hostPort() + ": " + describe(e), e);
        }
        session = s;
    }

    private String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private String fingerprint(JSchException e) {
        byte[] key = offered == null ? null : offered.key;
        return key == null ? "" : " (the server offers " + keyType(key) + " key " + sha256Fingerprint(key) + ")";
    }

    /** As OpenSSH prints it: SHA256: and the unpadded base64 of the key blob's SHA-256. */
    static String sha256Fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The algorithm name at the start of an SSH public key blob (a uint32 length and the name). */
    static String keyType(byte[] blob) {
        if (blob.length < 4) return "?";
        int n = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
        if (n <= 0 || n > blob.length - 4 || n > 64) return "?";
        return new String(blob, 4, n, StandardCharsets.US_ASCII);
    }

    /**
     * known_hosts as JSch reads it, noting the key the server offered (for the refusal's fingerprint)
     * and never adding one: trust is recorded by the person, not by TcpLens.
     */
    private static final class OfferedKey implements HostKeyRepository {
        private final HostKeyRepository known;
        volatile byte[] key;

        OfferedKey(HostKeyRepository known) {
            this.known = known;
        }

        @Override
        public int check(String host, byte[] k) {
            key = k == null ? null : k.clone();
            return known.check(host, k);
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // never: StrictHostKeyChecking=yes, and nothing is trusted on first use
        }

        @Override
        public void remove(String host, String type) {
            // known_hosts is the user's: never edited
        }

        @Override
        public void remove(String host, String type, byte[] k) {
            // known_hosts is the user's: never edited
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return known.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return known.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return known.getHostKey(host, type);
        }
    }

    static String describe(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        String m = c.getMessage();
        if (m == null || m.isBlank()) m = c.getClass().getSimpleName();
        if (c instanceof ConnectException) return "connection refused";
        if (c instanceof UnknownHostException) return "unknown host " + m;
        if (c instanceof SocketTimeoutException) return "timed out";
        return m;
    }

    private IdentityRepository agent() {
        if (settings.agentSocket() == null || !Files.exists(settings.agentSocket())) return null;
        try {
            AgentIdentityRepository r = new AgentIdentityRepository(
                    new SSHAgentConnector(new UnixDomainSocketFactory(), settings.agentSocket()));
            return r.getStatus() == IdentityRepository.RUNNING ? r : null;
        } catch (AgentProxyException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs {@code command} on a new channel of the session and reads all it prints.
     *
     * @throws IOException when the session broke (the caller reconnects)
     */
    synchronized Result exec(String command) throws IOException {
        if (!isOpen()) throw new IOException("not connected to " + hostPort());
        ChannelExec ch = null;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            ch.setInputStream(null);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setErrStream(err);
            Bounded out = new Bounded();
            ch.setOutputStream(out); // JSch's session thread writes here; no pipe (its pipe polls once a second)
            long t0 = System.nanoTime();
            ch.connect(CONNECT_TIMEOUT_MS);
            long channelNanos = System.nanoTime() - t0;
            long deadline = System.nanoTime() + EXEC_TIMEOUT_NANOS;
            while (!ch.isClosed()) {
                if (!session.isConnected()) throw new IOException("the connection to " + hostPort() + " closed");
                if (out.overflow) throw new IOException("the server's answer exceeds " + MAX_OUTPUT_BYTES + " bytes");
                if (System.nanoTime() > deadline) throw new IOException(hostPort() + " did not finish the command within "
                        + EXEC_TIMEOUT_NANOS / 1_000_000_000L + " s");
                Thread.sleep(1);
            }
            return new Result(out.toByteArray(), err.toString(StandardCharsets.UTF_8), ch.getExitStatus(), channelNanos);
        } catch (JSchException e) {
            throw new IOException("the connection to " + hostPort() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (ch != null) ch.disconnect();
        }
    }

    // ---- one long-lived shell: a poll costs a fork of cat on the server, not a new sshd session ----
    static final String END = "@@tcplens-end ";
    private ChannelExec shell;
    private Bounded shellSink;
    private OutputStream shellIn;

    /**
     * Runs {@code command} in the session's long-lived {@code sh} (started on first use, on a channel
     * of its own) and reads its output up to an end marker carrying the exit status. Cheaper than
     * {@link #exec}: no channel and no server-side session setup per poll. {@code channelNanos} of
     * the result is the time to the first byte of the answer.
     *
     * @throws IOException when the session or the shell broke (the caller reconnects)
     */
    synchronized Result run(String command) throws IOException {
        if (!isOpen()) throw new IOException("not connected to " + hostPort());
        try {
            if (shell == null || shell.isClosed()) openShell();
            shellSink.reset();
            long t0 = System.nanoTime();
            shellIn.write(("{ " + command + "\n} 2>/dev/null </dev/null; printf '\\n" + END + "%d\\n' $?\n")
                    .getBytes(StandardCharsets.UTF_8));
            shellIn.flush();
            long first = -1;
            int lineStart = 0;
            int scanned = 0;
            boolean maybeEnd = false;
            long deadline = System.nanoTime() + EXEC_TIMEOUT_NANOS;
            while (true) {
                byte[] chunk = shellSink.await(scanned, 5);
                if (chunk.length == 0) {
                    if (shell.isClosed() || !session.isConnected()) throw new IOException("the connection to " + hostPort() + " closed");
                    if (shellSink.overflow) throw new IOException("the server's answer exceeds " + MAX_OUTPUT_BYTES + " bytes");
                    if (System.nanoTime() > deadline) throw new IOException(hostPort() + " did not answer within "
                            + EXEC_TIMEOUT_NANOS / 1_000_000_000L + " s");
                    continue;
                }
                if (first < 0) first = System.nanoTime() - t0;
                int from = scanned;
                scanned += chunk.length;
                for (int i = 0; i < chunk.length; i++) {
                    int pos = from + i;
                    if (pos == lineStart) maybeEnd = chunk[i] == '@';
                    if (chunk[i] != '\n') continue;
                    if (maybeEnd) {
                        byte[] all = shellSink.toByteArray();
                        String line = new String(all, lineStart, pos - lineStart, StandardCharsets.US_ASCII);
                        if (line.startsWith(END)) {
                            int status;
                            try {
                                status = Integer.parseInt(line.substring(END.length()).strip());
                            } catch (NumberFormatException e) {
                                status = -1;
                            }
                            // the printf put a newline before the marker: drop it with the marker
                            return new Result(Arrays.copyOf(all, Math.max(0, lineStart - 1)), "", status, first);
                        }
                    }
                    lineStart = pos + 1;
                    maybeEnd = false;
                }
            }
        } catch (JSchException e) {
            closeShell();
            throw new IOException("the connection to " + hostPort() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            closeShell();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            closeShell();
            throw e;
        }
    }

    private void openShell() throws JSchException, IOException {
        closeShell();
        ChannelExec ch = (ChannelExec) session.openChannel("exec");
        ch.setCommand("exec sh");
        ch.setErrStream(OutputStream.nullOutputStream());
        shellSink = new Bounded();
        ch.setOutputStream(shellSink); // written by JSch's session thread: no pipe (a full pipe stalls its writer for 1 s)
        shellIn = ch.getOutputStream();
        ch.connect(CONNECT_TIMEOUT_MS);
        shell = ch;
    }

    private void closeShell() {
        if (shell != null) shell.disconnect();
        shell = null;
        shellIn = null;
        shellSink = null;
    }

    synchronized void drop() {
        closeShell();
        if (session != null) session.disconnect();
        session = null;
    }

    @Override
    public void close() {
        drop();
    }

    /** The agent's identities first, then the key files; additions go to the files' repository. */
    private record Both(IdentityRepository agent, IdentityRepository files) implements IdentityRepository {
        @Override
        public String getName() {
            return "agent+files";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            Vector<Identity> v = new Vector<>();
            try {
                v.addAll(agent.getIdentities());
            } catch (RuntimeException e) {
                // agent gone: the files still work
            }
            v.addAll(files.getIdentities());
            return v;
        }

        @Override
        public boolean add(byte[] identity) {
            return files.add(identity);
        }

        @Override
        public boolean remove(byte[] blob) {
            return files.remove(blob);
        }

        @Override
        public void removeAll() {
            files.removeAll();
        }
    }
}
