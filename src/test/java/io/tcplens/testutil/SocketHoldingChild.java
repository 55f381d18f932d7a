package io.tcplens.testutil;

import io.tcplens.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A quiet child process (Python) holding known loopback sockets until it is closed: one listener on
 * 127.0.0.1, three connected pairs (six ESTABLISHED) and four accepted sockets whose clients closed
 * (four CLOSE_WAIT) — eleven sockets, all its own, told apart from the machine's by its pid.
 */
public final class SocketHoldingChild implements AutoCloseable {
    /** What the child holds once {@link #start()} returns (the kernel may take a moment to show all of it). */
    public static final Map<TcpState, Integer> STATES = Map.of(TcpState.LISTEN, 1, TcpState.ESTABLISHED, 6, TcpState.CLOSE_WAIT, 4);
    public static final int SOCKETS = 11;

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import socket, sys",
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(64)",
            "keep = []",
            "for i in range(3):",
            "    c = socket.create_connection(srv.getsockname()); a, _ = srv.accept(); keep += [c, a]",
            "for i in range(4):",
            "    c = socket.create_connection(srv.getsockname()); a, _ = srv.accept(); keep.append(a); c.close()",
            "print(srv.getsockname()[1], flush=True)",
            "sys.stdin.read()");

    private final Process process;
    private final int port;

    private SocketHoldingChild(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether python3 is here to run the child. */
    public static boolean available() {
        return Files.isExecutable(PYTHON);
    }

    /** Starts the child and returns once it holds its sockets (it prints its listening port then). */
    public static SocketHoldingChild start() throws IOException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) throw new IOException("the socket-holding child ended before it printed its port");
            return new SocketHoldingChild(p, Integer.parseInt(line.trim()));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The listener's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
