package io.tcplens.model;

import java.util.Locale;

/**
 * Where data came from, shown beside every figure.
 *
 * @param kind        live, lab, replay or simulated
 * @param name        short name, e.g. "proc"
 * @param description what a person reads, e.g. "live · Linux /proc/net/tcp"
 */
public record SourceInfo(Kind kind, String name, String description) {
    public enum Kind { LIVE, LAB, REPLAY, SIMULATED }

    public String label() {
        return kind.name().toLowerCase(Locale.ROOT) + " · " + description;
    }
}
