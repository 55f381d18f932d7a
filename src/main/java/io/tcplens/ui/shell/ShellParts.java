package io.tcplens.ui.shell;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import java.util.List;
import java.util.function.Function;

/**
 * What the composition root plugs into the window: the services, the tabs in display order and the
 * panels above them. The shell knows them only through {@link ShellTab}, {@link Presenter} and
 * {@link ConnectionsTarget}, so no feature package is named here.
 */
public record ShellParts(UiServices services, Function<ShellContext, List<ShellTab>> tabs,
                         Function<ShellContext, List<ShellPanel<?>>> panels, Opener opener) {

    /** Parts whose sources open with {@link io.tcplens.source.Sources#open}. */
    public ShellParts(UiServices services, Function<ShellContext, List<ShellTab>> tabs,
                      Function<ShellContext, List<ShellPanel<?>>> panels) {
        this(services, tabs, panels, Sources::open);
    }

    /** Opens a source by spec, off the FX thread (the application's may hand over one it began early, issue 13). */
    @FunctionalInterface
    public interface Opener {
        SocketTableSource open(String spec) throws SourceException;
    }
}
