package io.tcplens.lab.script;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code --source script:NAME}: a scripted scenario as a (simulated) table, one step per poll, then
 * holding the last step.
 */
public final class ScriptSourceProvider implements SocketTableSourceProvider {
    @Override
    public String name() {
        return "script";
    }

    @Override
    public String description() {
        return "scripted scenario, simulated (script:NAME, one step per poll): "
                + Scripts.all().stream().map(Script::id).collect(Collectors.joining(", "));
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        String id = argument == null ? "" : argument.trim();
        Script s = Scripts.byId(id).orElseThrow(() -> new SourceException("unknown script '" + id + "' (known: "
                + Scripts.all().stream().map(Script::id).collect(Collectors.joining(", ")) + ")"));
        ScenarioPlayer player = new ScenarioPlayer(s);
        return new ScriptSource(player, true);
    }
}
