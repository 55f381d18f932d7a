package io.tcplens.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scenarios of the seed article, each run with real sockets on 127.0.0.1. Titles and
 * descriptions are in the lab bundle under {@code lab.scenario.ID.title} / {@code .description}.
 */
public enum LabScenario {
    /** Short connections; the client closes first, so TIME_WAIT piles up on the client side. */
    CLIENT_CLOSES_FIRST("client-close"),
    /** Keep-alive off: the server closes after each reply, so TIME_WAIT piles up on the server side. */
    SERVER_CLOSES_FIRST("server-close"),
    /** The client closes with SO_LINGER 0: an RST instead of a FIN, no TIME_WAIT, the server sees a reset. */
    RST_CLOSE("rst-close"),
    /** The same requests over a few persistent connections: almost no TIME_WAIT. */
    KEEP_ALIVE("keep-alive"),
    /** The client binds to each port of a small pool in turn until the kernel refuses. */
    PORT_EXHAUSTION("port-pool"),
    /** connect() without bind() until the ephemeral range is spent (EADDRNOTAVAIL), in a private namespace with a small range. */
    EPHEMERAL_RANGE("ephemeral-range"),
    /** The server closes connections, stops and binds its port again, with or without SO_REUSEADDR. */
    SERVER_RESTART("server-restart"),
    /** The server never closes: CLOSE_WAIT on the server, FIN_WAIT2 on the client. */
    CLOSE_WAIT_LEAK("close-wait-leak"),
    /** Many connections from one source address (a NAT load balancer) to one server port, server closes first. */
    ONE_SOURCE_MANY_CLIENTS("nat");

    /** Keys live in the lab bundle ({@link LabEvent#BUNDLE}), not the window's. */
    private static final String KEY_PREFIX = "lab.scenario.";

    private final String id;

    LabScenario(String id) {
        this.id = id;
    }

    /** The name used on the command line, e.g. {@code client-close}. */
    public String id() {
        return id;
    }

    public String titleKey() {
        return KEY_PREFIX + id + ".title";
    }

    public String descriptionKey() {
        return KEY_PREFIX + id + ".description";
    }

    public static Optional<LabScenario> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (LabScenario s : values())
            if (s.id.equals(t) || s.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(t)) return Optional.of(s);
        return Optional.empty();
    }

    public static String ids() {
        return Arrays.stream(values()).map(LabScenario::id).collect(Collectors.joining(", "));
    }
}
