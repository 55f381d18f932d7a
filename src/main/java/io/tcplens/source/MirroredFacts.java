package io.tcplens.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@link MachineFacts} read from the {@link FactsMirror} a source fills as it polls (SSH, another
 * network namespace): each fact is the mirror's unless the source overrides it.
 */
public interface MirroredFacts extends MachineFacts {
    /** The mirror this source keeps. */
    FactsMirror facts();

    @Override
    default String factsOrigin() {
        return facts().factsOrigin();
    }

    @Override
    default Path sysctlRoot() {
        return facts().sysctlRoot();
    }

    @Override
    default Path procRoot() {
        return facts().procRoot();
    }

    @Override
    default Optional<Path> resolvConf() {
        return facts().resolvConf();
    }

    @Override
    default List<String> ownAddresses() {
        return facts().ownAddresses();
    }

    @Override
    default Optional<String> operatorAddress() {
        return facts().operatorAddress();
    }
}
