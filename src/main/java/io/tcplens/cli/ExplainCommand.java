package io.tcplens.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.explain.StateExplanation;
import io.tcplens.analysis.explain.StateExplanations;
import io.tcplens.model.TcpState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        header = "Explains a TCP state, with this machine's values of the settings it names.",
        description = "Explains a TCP state: what it means, which side is in it, how long it lasts on Linux (with the "
                + "source), what causes a pile-up, what fixes it and what does not, and the RFC 9293 section; then this "
                + "machine's values of the settings it names. Without a state: one line per state.")
public final class ExplainCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "STATE", description = "e.g. TIME_WAIT, TIME-WAIT, CLOSE-WAIT, ESTAB, SYN-RECV.")
    String state;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--sysctl-root", paramLabel = "DIR", description = "Read the settings from this tree instead of /proc/sys.", hidden = true)
    Path sysctlRoot = Path.of("/proc/sys");

    @Spec CommandSpec spec;

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        StateExplanations text = new StateExplanations(Locale.ENGLISH,
                Files.isDirectory(sysctlRoot) ? new SysctlReader(sysctlRoot) : null);
        if (state == null) {
            for (TcpState s : TcpState.values()) out.printf("%-12s %s%n", s.name(), text.summary(s));
            out.flush();
            return 0;
        }
        StateExplanation e = text.explain(state).orElseThrow(() -> new CliException(text.text("explain.unknown", state,
                String.join(", ", Arrays.stream(TcpState.values()).map(Enum::name).toList()))));
        if (json) writeJson(out, e);
        else out.print(e.plainText(text.text("explain.heading.settings")));
        out.flush();
        return 0;
    }

    private static void writeJson(PrintWriter out, StateExplanation e) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("state", e.state());
            g.writeStringField("rfcName", e.rfcName());
            g.writeStringField("summary", e.summary());
            for (StateExplanation.Section s : e.sections()) g.writeStringField(s.id(), s.text());
            g.writeArrayFieldStart("settings");
            for (String v : e.settings()) g.writeString(v);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        out.println();
    }
}
