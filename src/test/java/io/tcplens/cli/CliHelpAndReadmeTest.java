package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.testutil.LoopbackSockets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import java.util.LinkedHashMap;

/**
 * Issue 13 item 14: `tcplens --help` gives every command a whole sentence, each command's own help
 * wraps whole paragraphs (no line cut mid-sentence by picocli), the README's command table has a row
 * per command naming only options the command has and every option it has; `--port 80,443` works.
 */
class CliHelpAndReadmeTest {
    /** Options every table-reading command shares, described once above the README table. */
    private static final Set<String> COMMON = Set.of("--help", "-h", "--version", "-V", "--debug", "--source", "--netns");

    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new LinkedHashMap<>(new CommandLine(new TcpLensCommand()).getSubcommands());
        all.remove("help");
        return all;
    }

    @Test
    void everyCommandSummaryIsAWholeSentenceAndNoDescriptionLineStopsMidSentence() {
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            CommandSpec spec = c.getValue().getCommandSpec();
            String[] header = spec.usageMessage().header();
            String summary = header.length > 0 ? header[0] : spec.usageMessage().description()[0];
            assertTrue(summary.strip().endsWith("."), c.getKey() + "'s summary in `tcplens --help` stops mid-sentence: " + summary);
            assertTrue(summary.length() <= 160, c.getKey() + "'s summary is a paragraph, not a line: " + summary);
            for (String line : spec.usageMessage().description())
                assertTrue(line.strip().matches(".*[.)]$"), c.getKey() + ": a description element picocli prints as its own line ends mid-sentence: " + line);
        }
    }

    @Test
    void readmeTableHasARowPerCommandWithExactlyItsOptions() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("| command | what it prints |");
        assertTrue(at >= 0, "the README's command table");
        List<String> rows = readme.substring(at).lines().takeWhile(l -> l.startsWith("|")).toList();
        Pattern option = Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\\w-])");
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            String row = rows.stream().filter(r -> r.startsWith("| `" + c.getKey() + "`") || r.startsWith("| `" + c.getKey() + " "))
                    .findFirst().orElse(null);
            assertNotNull(row, "README's command table has no row for `" + c.getKey() + "`");
            String synopsis = row.substring(2, row.indexOf('`', 3));
            Set<String> named = new HashSet<>();
            Matcher m = option.matcher(synopsis);
            while (m.find()) named.add(m.group(1));
            Set<String> has = new HashSet<>();
            for (OptionSpec o : c.getValue().getCommandSpec().options())
                if (!o.hidden()) for (String n : o.names()) has.add(n);
            for (String n : named) assertTrue(has.contains(n), "README names " + n + " for `" + c.getKey() + "`, which has no such option");
            for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                if (o.hidden() || COMMON.contains(o.longestName())) continue;
                boolean listed = false;
                for (String n : o.names()) listed |= named.contains(n);
                assertTrue(listed, "README's row for `" + c.getKey() + "` lacks " + o.longestName());
            }
        }
    }

    @Test
    void countsTakesSeveralPortsSeparatedByCommas() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")));
        ObjectMapper json = new ObjectMapper();
        try (LoopbackSockets a = new LoopbackSockets(); LoopbackSockets b = new LoopbackSockets()) {
            a.established();
            b.established();
            b.established();
            CoreCommandsTest.Run one = CoreCommandsTest.run("counts", "--port", Integer.toString(a.port()), "--json", "--source", "proc");
            CoreCommandsTest.Run both = CoreCommandsTest.run("counts", "--port", a.port() + "," + b.port(), "--json", "--source", "proc");
            CoreCommandsTest.Run repeated = CoreCommandsTest.run("counts", "--port", Integer.toString(a.port()), "--port",
                    Integer.toString(b.port()), "--json", "--source", "proc");
            assertEquals(0, both.code(), both.err());
            assertEquals(0, repeated.code(), repeated.err());
            // a listener owns its port: exactly our two listeners, and each pair is two ESTABLISHED ends on the port
            JsonNode o = json.readTree(one.out()), t = json.readTree(both.out()), r = json.readTree(repeated.out());
            assertEquals(1, o.get("LISTEN").asInt(), one.out());
            assertEquals(2, t.get("LISTEN").asInt(), both.out());
            assertEquals(2, r.get("LISTEN").asInt(), repeated.out());
            assertTrue(t.get("ESTABLISHED").asInt() >= 6, both.out());
            assertTrue(o.get("ESTABLISHED").asInt() >= 2 && o.get("ESTABLISHED").asInt() < t.get("ESTABLISHED").asInt(), one.out() + both.out());
            CoreCommandsTest.Run bad = CoreCommandsTest.run("counts", "--port", "80,70000");
            assertNotEquals(0, bad.code());
            assertTrue(bad.err().contains("port out of range: 70000"), bad.err());
        }
    }
}
