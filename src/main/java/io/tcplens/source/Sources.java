package io.tcplens.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds source providers and opens a source from a spec such as "auto", "proc" or "replay:FILE". */
public final class Sources {
    private Sources() {}

    public static List<SocketTableSourceProvider> providers() {
        List<SocketTableSourceProvider> list = new ArrayList<>();
        ServiceLoader.load(SocketTableSourceProvider.class, Sources.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparing(SocketTableSourceProvider::name));
        return list;
    }

    public static Optional<SocketTableSourceProvider> provider(String name) {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Opens the source named by {@code spec}; "auto" picks the best available live source. */
    public static SocketTableSource open(String spec) throws SourceException {
        if (spec == null || spec.isBlank() || spec.equals("auto")) {
            SocketTableSourceProvider best = providers().stream()
                    .filter(p -> p.autoPriority() >= 0 && p.unavailableReason().isEmpty())
                    .max(Comparator.comparingInt(SocketTableSourceProvider::autoPriority))
                    .orElseThrow(() -> new SourceException("no socket-table source works on this machine"));
            return best.create(null);
        }
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? null : spec.substring(colon + 1);
        if (name.equals("auto")) throw new SourceException("'auto' takes no argument: '" + spec + "' (use --source auto)");
        SocketTableSourceProvider p = provider(name).orElseThrow(() -> new SourceException(
                "unknown source '" + name + "' (known: " + String.join(", ",
                        providers().stream().map(SocketTableSourceProvider::name).toList()) + ", auto)"));
        Optional<String> why = p.unavailableReason();
        if (why.isPresent()) throw new SourceException("source '" + name + "' is not available: " + why.get());
        return p.create(arg);
    }
}
