package io.tcplens.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tcplens.analysis.advisor.Advice;
import io.tcplens.analysis.advisor.AdviceText;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.Finding;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SettingExplanation;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.advisor.SysctlSuggestion;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.io.TerminalText;
import io.tcplens.export.SocketJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.tcplens.source.MachineFacts;
import java.util.LinkedHashSet;

@Command(name = "advise", mixinStandardHelpOptions = true,
        header = "Explains the TCP sysctls, watches the table and says what actually fixes what it finds.",
        description = "Reads the TCP sysctls and explains each (and what it does NOT do), watches the table for a while, "
                + "then reports what it found with the numbers behind it and what actually fixes it, ending with a "
                + "copyable /etc/sysctl.d snippet for the fixes that are sysctls.")
public final class AdviseCommand implements Callable<Integer> {
    @Mixin SourceOption source;
    @Mixin SamplingOptions sampling;

    @Option(names = "--proc-root", paramLabel = "DIR", description = "Read /proc/net/netstat from this directory instead of /proc.", hidden = true)
    Path procRoot = Path.of("/proc");

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--snippet", description = "Print only the sysctl.d snippet.")
    boolean snippetOnly;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration step = Durations.parse(sampling.interval);
        Advice advice;
        KernelSettings settings;
        try (PollingEngine engine = new PollingEngine(source.open(), step)) {
            // a server over SSH or a namespace: its own sysctls and counters, not this machine's
            MachineFacts facts = engine.source() instanceof MachineFacts f ? f : null;
            Path counters = facts != null && procRoot.equals(Path.of("/proc")) ? facts.procRoot() : procRoot;
            settings = KernelSettings.read(new SysctlReader(sampling.sysctlRootFor(engine.source())));
            Advisor advisor = new Advisor(settings, t -> NetstatCounters.read(counters, t),
                    Math.max(Advisor.DEFAULT_WINDOW_MILLIS, sampling.sampleDuration().toMillis() + 1000));
            PortUsageAnalyzer ports = new PortUsageAnalyzer(Math.max(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS,
                    sampling.sampleDuration().toMillis() + 1000), engine.source().timeWaitDuration().millis());
            PollResult last = sampling.watch(engine, r -> {
                ports.observe(r);
                advisor.observe(r);
            });
            PortReport report = ports.report(last, sampling.portRange(engine.source()), engine.source().timeWaitDuration());
            advice = advisor.advise(last, report);
            Warnings.print(spec, last.snapshot());
        }
        PrintWriter out = spec.commandLine().getOut();
        AdviceText text = AdviceText.forLocale(Locale.getDefault());
        if (snippetOnly) out.print(advice.sysctlSnippet(text));
        else if (json) {
            try {
                out.println(SocketJson.MAPPER.writeValueAsString(Rendered.of(advice, text)));
            } catch (JsonProcessingException e) {
                throw new CliException("cannot write JSON: " + e.getOriginalMessage(), 1);
            }
        } else print(out, advice, settings.readable(), text);
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, Advice a, boolean settingsReadable, AdviceText text) {
        out.println("source: " + TerminalText.oneLine(String.valueOf(a.source())) + (a.observedSeconds() > 0 ? " (watched " + Units.decimal(a.observedSeconds(), 1) + " s)" : ""));
        out.println();
        out.println("== Kernel settings ==");
        if (!settingsReadable) out.println("(no sysctl tree readable here: settings unknown)");
        else for (SettingExplanation s : a.settings()) {
            out.println(s.name() + " = " + (s.present() ? s.value() : "(absent on this kernel)"));
            out.println("    " + text.render(s.meaning()));
            out.println("    Not: " + text.render(s.doesNot()));
            String source = settingSource(s, text);
            if (source != null) out.println("    Source: " + source);
        }
        out.println();
        out.println("== Findings ==");
        if (a.findings().isEmpty()) out.println("Nothing to fix in what was observed.");
        for (Finding f : a.findings()) {
            out.println("[" + f.severity() + "] " + TerminalText.oneLine(text.render(f.title())));
            cite(out, "    ", text.source(f.title()));
            for (var e : f.evidence()) {
                out.println("    · " + TerminalText.oneLine(text.render(e)));
                cite(out, "      ", text.source(e));
            }
            for (var x : f.fixes()) {
                out.println("    → " + TerminalText.oneLine(text.render(x)));
                cite(out, "      ", text.source(x));
            }
            out.println();
        }
        out.println("== sysctl.d snippet ==");
        out.print(a.sysctlSnippet(text));
    }

    /** A sentence's source on the line below it, indented, when it has one. */
    private static void cite(PrintWriter out, String indent, String source) {
        if (source != null) out.println(indent + "source: " + source);
    }

    /** The sources of a setting's two sentences, distinct, or null. */
    static String settingSource(SettingExplanation s, AdviceText text) {
        LinkedHashSet<String> parts = new LinkedHashSet<>();
        for (String src : new String[] {text.source(s.meaning()), text.source(s.doesNot())})
            if (src != null) parts.addAll(List.of(src.split("; ")));
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** The advice as --json prints it: every sentence rendered, each finding with its stable id and rule. */
    record Rendered(String source, String kernel, double observedSeconds, List<Setting> settings, List<Item> findings,
                    String sysctlSnippet) {
        /** {@code source}: where the two sentences come from (doc section, kernel source, measurement). */
        record Setting(String name, String value, String meaning, String doesNot, String source) {}

        record Sysctl(String name, String value, String current, String why, String source) {}

        /** The {@code *Sources} lists run beside their sentences: one entry each, null where it cites nothing. */
        record Item(String id, String rule, Finding.Severity severity, String title, String titleSource,
                    List<String> evidence, List<String> evidenceSources, List<String> fixes, List<String> fixSources,
                    List<Sysctl> sysctls) {}

        static Rendered of(Advice a, AdviceText t) {
            List<Setting> settings = a.settings().stream()
                    .map(s -> new Setting(s.name(), s.value(), t.render(s.meaning()), t.render(s.doesNot()), settingSource(s, t))).toList();
            List<Item> findings = a.findings().stream().map(f -> new Item(f.id(), f.rule(), f.severity(), t.render(f.title()),
                    t.source(f.title()), t.render(f.evidence()), t.sources(f.evidence()), t.render(f.fixes()), t.sources(f.fixes()),
                    f.sysctls().stream().map(x -> sysctl(x, t)).toList())).toList();
            return new Rendered(a.source(), a.kernel(), a.observedSeconds(), settings, findings, a.sysctlSnippet(t));
        }

        private static Sysctl sysctl(SysctlSuggestion s, AdviceText t) {
            return new Sysctl(s.name(), s.value(), s.current(), t.render(s.why()), t.source(s.why()));
        }
    }
}
