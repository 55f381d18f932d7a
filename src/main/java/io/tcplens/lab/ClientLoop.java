package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.net.Socket;

/**
 * The client loop every one-connection-per-request scenario shares: for each of the run's
 * connections wait for its turn, open a socket (registered, so stopping closes it), let the scenario
 * use it, report a failure as an event with the kernel's errno, and count progress.
 */
final class ClientLoop {
    /** What a scenario does with connection {@code i}. */
    interface Body {
        void run(Socket c, int i, Attempt a) throws IOException;
    }

    /** Where connection {@code i} stands, for the failure event; the body fills in what it knows. */
    static final class Attempt {
        String op;
        Endpoint local;
        Endpoint remote;
        boolean keep;

        /** The call about to be made ("bind", "connect", "read"). */
        void op(String name) {
            op = name;
        }

        /** The local end the socket is about to bind (before the socket knows it). */
        void local(Endpoint e) {
            local = e;
        }

        /** The socket stays open (and registered) after the body returns. */
        void keepOpen() {
            keep = true;
        }
    }

    /** Called with the connection's index when it failed, before its failure event goes out. */
    interface FailureListener {
        void failed(int i);
    }

    private final LabRun run;
    private final String failureKey;
    private final Endpoint server;
    private boolean progress = true;
    private FailureListener onFailure = i -> {};

    ClientLoop(LabRun run, String failureKey, Endpoint server) {
        this.run = run;
        this.failureKey = failureKey;
        this.server = server;
    }

    ClientLoop withoutProgress() {
        progress = false;
        return this;
    }

    ClientLoop onFailure(FailureListener l) {
        onFailure = l;
        return this;
    }

    void run(int n, Body body) throws LabStopped {
        for (int i = 0; i < n; i++) {
            run.pacer().pace(i);
            Socket c = new Socket();
            run.register(c);
            Attempt a = new Attempt();
            try {
                body.run(c, i, a);
            } catch (IOException e) {
                run.pacer().checkStopped();
                onFailure.failed(i);
                String op = a.op != null ? a.op : c.isConnected() ? "read" : "connect";
                Endpoint local = c.getLocalPort() > 0 && a.local == null
                        ? new Endpoint(c.getLocalAddress(), c.getLocalPort()) : a.local;
                Endpoint remote = c.getInetAddress() != null && a.local == null
                        ? new Endpoint(c.getInetAddress(), c.getPort()) : server;
                run.error(op, e, failureKey, local, remote);
                Lab.closeQuietly(c);
                a.keep = false;
            }
            if (!a.keep) run.unregister(c);
            if (progress) run.progress(i + 1, n);
        }
    }
}
