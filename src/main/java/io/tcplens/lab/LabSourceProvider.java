package io.tcplens.lab;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.source.SpecSourceProvider;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --source lab:SCENARIO[,connections=N,rate=R,payload=B,pool=START-END,reuse=on,hold=on,duration=30s]}:
 * starts a lab run and answers the live table reduced to the lab's sockets. Closing the source stops the run.
 */
public final class LabSourceProvider extends SpecSourceProvider {
    public LabSourceProvider() {
        super("lab", () -> "loopback lab: lab:SCENARIO[,connections=N,rate=R,…] with real sockets on 127.0.0.1 ("
                + LabScenario.ids() + ")");
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        String[] parts = required(argument, "lab needs a scenario: --source lab:SCENARIO (" + LabScenario.ids() + ")").split(",");
        LabScenario scenario = LabScenario.parse(parts[0]).orElseThrow(() -> new SourceException(
                "unknown lab scenario '" + parts[0] + "' (known: " + LabScenario.ids() + ")"));
        LabSettings s = LabSettings.defaults(scenario);
        for (int i = 1; i < parts.length; i++) s = apply(s, parts[i].trim());
        Optional<String> problem = s.problem();
        if (problem.isPresent()) throw new SourceException("lab: " + problem.get());
        SocketTableSource live = Sources.open("auto");
        Lab lab = new Lab();
        lab.start(scenario, s);
        return new LabSource(lab, live, true, scenario.id());
    }

    static LabSettings apply(LabSettings s, String option) throws SourceException {
        int eq = option.indexOf('=');
        String key = (eq < 0 ? option : option.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "on" : option.substring(eq + 1).trim();
        try {
            return switch (key) {
                case "connections", "n" -> s.withConnections(Integer.parseInt(value));
                case "rate" -> s.withRate(Double.parseDouble(value));
                case "payload" -> s.withPayload(Integer.parseInt(value));
                case "pool" -> {
                    String[] r = value.split("-");
                    int start = Integer.parseInt(r[0].trim());
                    int end = r.length > 1 ? Integer.parseInt(r[1].trim()) : start + s.portPoolSize() - 1;
                    yield s.withPortPool(start, end - start + 1);
                }
                case "pool-size" -> s.withPortPool(s.portPoolStart(), Integer.parseInt(value));
                case "reuse" -> s.withReuseAddress(bool(value));
                case "hold" -> s.withHoldOpen(bool(value));
                case "duration" -> s.withMaxDuration(duration(value));
                default -> throw new SourceException("unknown lab option '" + key
                        + "' (known: connections, rate, payload, pool, pool-size, reuse, hold, duration)");
            };
        } catch (NumberFormatException e) {
            throw new SourceException("lab option " + key + ": not a number: '" + value + "'");
        }
    }

    private static boolean bool(String v) throws SourceException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new SourceException("expected on or off, got '" + v + "'");
        };
    }

    private static Duration duration(String v) throws SourceException {
        String t = v.toLowerCase(Locale.ROOT).trim();
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new SourceException("not a duration: '" + v + "' (e.g. 30s, 2m)");
        }
    }
}
