package io.tcplens.source.netns;

import io.tcplens.source.SourceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * One platform thread that lives inside another network namespace: it calls {@code setns(2)} once
 * when it starts and then runs every task given to it there — opening a netlink socket (which stays
 * bound to the namespace it was made in), reading {@code /proc/thread-self/net/tcp}, reading the
 * namespace's sysctls. The thread never goes back; {@link #close()} ends it. The other threads of
 * the JVM stay in their own namespace.
 */
public final class NamespaceThread implements AutoCloseable {
    private final NamespaceTarget target;
    private final long inode;
    private final ExecutorService executor;

    /**
     * Enters the namespace.
     *
     * @throws SourceException with one line naming what is missing: the namespace, the process, or
     *         the privilege (CAP_SYS_ADMIN) to enter it
     */
    public NamespaceThread(NamespaceTarget target) throws SourceException {
        this.target = target;
        this.inode = inodeOf(target);
        this.executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-netns-" + target.spec()).daemon().factory());
        try {
            call(() -> {
                enter(target);
                return null;
            });
        } catch (SourceException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    public NamespaceTarget target() {
        return target;
    }

    /** The namespace's inode (as in {@code net:[INODE]} of /proc/PID/ns/net). */
    public long inode() {
        return inode;
    }

    /** Runs {@code task} inside the namespace and waits for it. */
    public <T> T call(Callable<T> task) throws SourceException {
        Future<T> f;
        try {
            f = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new SourceException("the " + target.describe() + " source is closed");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while reading the " + target.describe(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof SourceException se) throw se;
            throw new SourceException("reading the " + target.describe() + " failed: " + c, c);
        }
    }

    private static long inodeOf(NamespaceTarget target) throws SourceException {
        try {
            return ((Number) Files.getAttribute(target.path(), "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            throw missing(target);
        } catch (AccessDeniedException e) {
            throw privilege(target);
        } catch (IOException | RuntimeException e) {
            throw new SourceException("cannot read " + target.path() + ": " + e.getMessage(), e);
        }
    }

    private static void enter(NamespaceTarget target) throws SourceException {
        int fd;
        try {
            fd = NamespaceLibc.open(target.path().toString());
        } catch (NamespaceLibc.CallFailed e) {
            if (e.errno == NamespaceLibc.ENOENT || e.errno == NamespaceLibc.ESRCH) throw missing(target);
            if (e.errno == NamespaceLibc.EACCES || e.errno == NamespaceLibc.EPERM) throw privilege(target);
            throw new SourceException("cannot open " + target.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new SourceException("cannot call libc through the Foreign Function API: " + e.getMessage(), e);
        }
        try {
            NamespaceLibc.setnsNet(fd);
        } catch (NamespaceLibc.CallFailed e) {
            if (e.errno == NamespaceLibc.EPERM) throw privilege(target);
            if (e.errno == NamespaceLibc.EINVAL)
                throw new SourceException(target.path() + " is not a network namespace");
            throw new SourceException("cannot enter the " + target.describe() + ": " + e.getMessage(), e);
        } finally {
            NamespaceLibc.close(fd);
        }
    }

    static SourceException missing(NamespaceTarget t) {
        return new SourceException(t.name() != null
                ? "no network namespace named '" + t.name() + "' (`ip netns list` shows the names)"
                : "no process with PID " + t.pid());
    }

    static SourceException privilege(NamespaceTarget t) {
        return new SourceException("cannot enter the " + t.describe()
                + ": permission denied — entering another network namespace needs CAP_SYS_ADMIN (run as root)");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
