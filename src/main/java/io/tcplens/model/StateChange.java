package io.tcplens.model;

/** A connection seen in {@code from} at one poll and in {@code to} at the next. */
public record StateChange(ConnectionKey key, TcpState from, TcpState to, SocketEntry current, long atMillis) {}
