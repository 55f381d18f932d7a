package io.tcplens.analysis.remote;

import io.tcplens.model.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverse DNS on demand: lookups run on a small pool of daemon threads ("tcplens-rdns"), each answer
 * (a name, no name, or timed out) is cached, and a caller never waits longer than the timeout. Only
 * ever asked for addresses a person chose to resolve.
 */
public final class ReverseDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseDns.class);

    public enum Status { RESOLVED, NO_NAME, TIMED_OUT }

    /** An answer; {@code name} is null unless RESOLVED. */
    public record Result(Status status, String name) {}

    private final Map<InetAddress, CompletableFuture<Result>> cache = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private final Duration timeout;
    private final Function<InetAddress, String> lookup;

    public ReverseDns(Duration timeout) {
        this(timeout, ReverseDns::systemLookup);
    }

    /** @param lookup returns the host name, or null when there is none (tests pass their own) */
    public ReverseDns(Duration timeout, Function<InetAddress, String> lookup) {
        this.timeout = timeout;
        this.lookup = lookup;
        this.pool = Executors.newFixedThreadPool(4, Thread.ofPlatform().name("tcplens-rdns-", 1).daemon()
                .uncaughtExceptionHandler((th, e) -> LOG.warn("reverse DNS thread died", e)).factory());
    }

    /** The cached answer, or null when none has arrived yet. Never blocks. */
    public Result cached(InetAddress a) {
        CompletableFuture<Result> f = cache.get(a);
        return f != null && f.isDone() ? f.join() : null;
    }

    /** True while a lookup for {@code a} is running. */
    public boolean pending(InetAddress a) {
        CompletableFuture<Result> f = cache.get(a);
        return f != null && !f.isDone();
    }

    /** Starts (or joins) a lookup; completes within the timeout. */
    public CompletableFuture<Result> resolve(InetAddress a) {
        return cache.computeIfAbsent(a, k -> CompletableFuture.supplyAsync(() -> {
            String name = lookup.apply(k);
            return name == null ? new Result(Status.NO_NAME, null) : new Result(Status.RESOLVED, name);
        }, pool).completeOnTimeout(new Result(Status.TIMED_OUT, null), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> new Result(Status.NO_NAME, null)));
    }

    /** The JDK's reverse lookup; null when it only gives the address back. */
    static String systemLookup(InetAddress a) {
        try {
            InetAddress bare = InetAddress.getByAddress(a.getAddress());
            String name = bare.getCanonicalHostName();
            return name == null || name.equals(bare.getHostAddress()) || name.equals(Addresses.format(bare)) ? null : name;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
