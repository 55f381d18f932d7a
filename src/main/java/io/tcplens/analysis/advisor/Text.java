package io.tcplens.analysis.advisor;

import java.util.Arrays;
import java.util.List;

/**
 * A sentence of the advisor as data: its key in the advice bundle and its arguments. Arguments are
 * values already formatted with {@link io.tcplens.common.Units} (strings), plain numbers (written
 * without separators: ports, sysctl values) or other {@code Text}s (fragments). {@link AdviceText}
 * renders it, for the window and the command line alike.
 */
public record Text(String key, List<Object> args) {
    public Text {
        args = List.copyOf(args);
    }

    public static Text of(String key, Object... args) {
        return new Text(key, Arrays.asList(args));
    }
}
