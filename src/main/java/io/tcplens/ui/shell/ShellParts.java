package io.tcplens.ui.shell;

import java.util.List;
import java.util.function.Function;

/**
 * What the composition root plugs into the window: the services, the tabs in display order and the
 * panels above them. The shell knows them only through {@link ShellTab}, {@link Presenter} and
 * {@link ConnectionsTarget}, so no feature package is named here.
 */
public record ShellParts(UiServices services, Function<ShellContext, List<ShellTab>> tabs,
                         Function<ShellContext, List<ShellPanel<?>>> panels) {}
