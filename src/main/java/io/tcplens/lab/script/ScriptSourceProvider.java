package io.tcplens.lab.script;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.SpecSourceProvider;
import java.util.stream.Collectors;

/**
 * {@code --source script:NAME}: a scripted scenario as a (simulated) table, one step per poll, then
 * holding the last step.
 */
public final class ScriptSourceProvider extends SpecSourceProvider {
    public ScriptSourceProvider() {
        super("script", () -> "scripted scenario, simulated (script:NAME, one step per poll): " + ids());
    }

    private static String ids() {
        return Scripts.all().stream().map(Script::id).collect(Collectors.joining(", "));
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        String id = argument == null ? "" : argument.trim();
        Script s = Scripts.byId(id).orElseThrow(() -> new SourceException("unknown script '" + id + "' (known: " + ids() + ")"));
        ScenarioPlayer player = new ScenarioPlayer(s);
        return new ScriptSource(player, true);
    }
}
