package io.tcplens.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.analysis.advisor.AdviceText;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.AdvisorRule;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.SettingExplanation;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.explain.StateExplanations;
import io.tcplens.lab.LabEvent;
import io.tcplens.lab.LabScenario;
import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import io.tcplens.lab.script.Step;
import io.tcplens.model.TcpState;
import io.tcplens.ui.tiles.StateGroup;
import io.tcplens.ui.timeline.TimelineModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bundle, both ways: each key the code asks for exists (literal keys, and the dynamic families
 * enumerated from the enums, scripts, rules and settings that build them), and each key in the bundle
 * is asked for somewhere (as a literal, as a member of a dynamic family, or under a literal prefix the
 * code completes at run time).
 */
class LocalizationTest {
    private static final Path MAIN = Path.of("src/main/java/io/tcplens");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:[^'\\\\]|\\\\.)'");
    private static final Pattern KEYISH = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)+\\.?");

    // ---------------------------------------------------------------- the window's bundle

    @Test
    void windowMessagesBothWays() throws IOException {
        Set<String> keys = keys("io/tcplens/ui/messages.properties");
        // source/act answers with keys of this bundle (the window and `tcplens close` print them)
        List<Path> code = javaFiles(MAIN.resolve("ui"), MAIN.resolve("app"), MAIN.resolve("source/act"));
        Set<String> asked = new TreeSet<>();
        Pattern getString = Pattern.compile("getString\\(|titleKey\\(\\)\\s*\\{\\s*return ");
        for (Path f : code) {
            String src = clean(Files.readString(f));
            Matcher m = getString.matcher(src);
            while (m.find()) {
                String args = argumentText(src, m.end() - (m.group().startsWith("getString") ? 1 : 0));
                Matcher lit = LITERAL.matcher(args);
                while (lit.find()) {
                    if (followedByConcatenation(args, lit.end())) continue; // a prefix, checked through its family
                    if (KEYISH.matcher(lit.group(1)).matches()) asked.add(lit.group(1));
                }
            }
        }
        Set<String> dynamic = new TreeSet<>();
        for (StateGroup g : StateGroup.values()) dynamic.add("tile." + g.name());
        for (TimelineModel.GroupBy g : TimelineModel.GroupBy.values()) dynamic.add("timeline.groupBy." + g.name());
        for (TimelineModel.ColourBy c : TimelineModel.ColourBy.values()) dynamic.add("timeline.colourBy." + c.name());
        for (Object c : enumConstants("io.tcplens.ui.diagram.RenderStyle$TokenColouring"))
            dynamic.add("diagram.colour." + ((Enum<?>) c).name().toLowerCase(Locale.ROOT));
        checkBothWays("ui/messages.properties", keys, union(asked, dynamic), literals(code), prefixes(code));
    }

    // ---------------------------------------------------------------- the lab's bundle

    @Test
    void labMessagesBothWays() throws IOException {
        Set<String> keys = keys("io/tcplens/lab/lab.properties");
        Set<String> asked = new TreeSet<>();
        // the key argument of emit(kind, KEY, …), error(op, e, KEY, …) and new ClientLoop(run, KEY, …), ternaries included
        Pattern event = Pattern.compile("(?:emit\\(LabEvent\\.Kind\\.\\w+,|error\\(\"\\w+\",\\s*\\w+,|new ClientLoop\\(\\w+,)([^,;]*)");
        for (Path f : javaFiles(MAIN.resolve("lab"))) {
            Matcher m = event.matcher(clean(Files.readString(f)));
            while (m.find()) {
                Matcher lit = LITERAL.matcher(m.group(1));
                while (lit.find()) asked.add("lab.event." + lit.group(1));
            }
        }
        assertTrue(asked.size() > 20, "the event keys were found in the lab's code: " + asked);
        for (LabScenario s : LabScenario.values()) {
            asked.add(s.titleKey());
            asked.add(s.descriptionKey());
        }
        for (Script s : Scripts.all()) {
            asked.add(s.titleKey());
            asked.add(s.descriptionKey());
            for (Step st : s.steps()) asked.add(st.narrationKey());
        }
        List<Path> readers = javaFiles(MAIN.resolve("lab"), MAIN.resolve("ui"), MAIN.resolve("cli"));
        // the event, scenario and script families are enumerated in full above: their prefixes cover nothing more
        Set<String> prefixes = new TreeSet<>(prefixes(readers));
        prefixes.removeIf(p -> p.startsWith("lab.event") || p.startsWith("lab.scenario") || p.startsWith("script"));
        checkBothWays("lab/lab.properties (" + LabEvent.BUNDLE + ")", keys, asked, literals(readers), prefixes);
    }

    // ---------------------------------------------------------------- the advisor's bundle

    @Test
    void adviceMessagesBothWays(@TempDir Path sys) throws IOException {
        Set<String> keys = keys("io/tcplens/analysis/advisor/advice.properties");
        Path dir = MAIN.resolve("analysis/advisor");
        Set<String> asked = new TreeSet<>();
        for (AdvisorRule rule : Advisor.RULES) {
            Path f = dir.resolve(rule.getClass().getSimpleName() + ".java");
            Matcher m = LITERAL.matcher(clean(Files.readString(f)));
            int found = 0;
            while (m.find())
                if (m.group(1).startsWith(".") && m.group(1).length() > 1) {
                    asked.add("advice." + rule.id() + m.group(1));
                    found++;
                }
            assertTrue(found > 0, rule.id() + ": no keys found in " + f);
        }
        for (Path f : javaFiles(dir)) {
            Matcher m = LITERAL.matcher(clean(Files.readString(f)));
            while (m.find()) if (m.group(1).matches("(advice|snippet)\\.[\\w.-]+")) asked.add(m.group(1));
        }
        // the settings' explanations, for every value that has a sentence of its own, and for absent settings
        for (String value : List.of("", "0", "1", "2", "32768 60999")) {
            Path root = sys.resolve("v" + value.replace(' ', '_'));
            Files.createDirectories(root);
            if (!value.isEmpty()) for (String name : settingNames()) {
                Path p = root.resolve(name.replace('.', '/'));
                Files.createDirectories(p.getParent());
                Files.writeString(p, value + "\n");
            }
            for (SettingExplanation e : KernelSettings.read(new SysctlReader(root)).explain()) {
                asked.add(e.meaning().key());
                asked.add(e.doesNot().key());
            }
        }
        checkBothWays("analysis/advisor/advice.properties (" + AdviceText.BUNDLE + ")", keys, asked, Set.of(), Set.of());
    }

    // ---------------------------------------------------------------- the state explanations' bundle

    @Test
    void stateExplanationsBothWays() throws IOException {
        Set<String> keys = keys("io/tcplens/analysis/explain/states.properties");
        Set<String> asked = new TreeSet<>();
        for (TcpState st : TcpState.values()) {
            asked.add("state." + st.name() + ".summary");
            for (String id : StateExplanations.SECTIONS) asked.add("state." + st.name() + "." + id);
        }
        for (String id : StateExplanations.SECTIONS) asked.add("explain.heading." + id);
        List<Path> readers = javaFiles(MAIN.resolve("analysis/explain"), MAIN.resolve("ui/explain"), MAIN.resolve("cli"));
        for (String lit : literals(readers)) if (lit.startsWith("explain.") && KEYISH.matcher(lit).matches() && !lit.endsWith(".") && !lit.endsWith(".css")) asked.add(lit);
        asked.removeIf(k -> k.equals("explain.copy") || k.equals("explain.close")); // the window's own bundle
        checkBothWays("analysis/explain/states.properties", keys, asked, Set.of(), Set.of());
    }

    // ---------------------------------------------------------------- helpers

    private static void checkBothWays(String bundle, Set<String> keys, Set<String> asked, Set<String> literals,
                                      Set<String> prefixes) {
        List<String> missing = asked.stream().filter(k -> !keys.contains(k)).toList();
        List<String> unused = keys.stream().filter(k -> !asked.contains(k) && !literals.contains(k)
                && prefixes.stream().noneMatch(k::startsWith)).toList();
        assertTrue(missing.isEmpty(), bundle + ": asked for but missing: " + missing);
        assertTrue(unused.isEmpty(), bundle + ": never asked for: " + unused);
    }

    private static Set<String> keys(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = LocalizationTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no bundle " + resource);
            p.load(in);
        }
        return new TreeSet<>(p.stringPropertyNames());
    }

    private static List<Path> javaFiles(Path... dirs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs)
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
            }
        return out;
    }

    /** The code without char literals (a '"' would open a string) and without comments. */
    private static String clean(String src) {
        return CHAR_LITERAL.matcher(src).replaceAll("' '").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
    }

    /** Every string literal in these files. */
    private static Set<String> literals(List<Path> files) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path f : files) {
            Matcher m = LITERAL.matcher(clean(Files.readString(f)));
            while (m.find()) out.add(m.group(1));
        }
        return out;
    }

    /** Literals the code completes at run time: followed by '+', or ending in '.' (handed to a helper that appends). */
    private static Set<String> prefixes(List<Path> files) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path f : files) {
            String src = clean(Files.readString(f));
            Matcher m = LITERAL.matcher(src);
            while (m.find()) {
                String s = m.group(1);
                if (!KEYISH.matcher(s).matches()) continue;
                if (s.endsWith(".") || followedByConcatenation(src, m.end())) out.add(s);
            }
        }
        return out;
    }

    private static boolean followedByConcatenation(String src, int at) {
        int i = at;
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
        return i < src.length() && src.charAt(i) == '+';
    }

    /** The text between the parenthesis at {@code open} and its match (or to the end of the statement). */
    private static String argumentText(String src, int open) {
        if (open >= src.length() || src.charAt(open) != '(') {
            int end = src.indexOf(';', open);
            return src.substring(open, end < 0 ? src.length() : end);
        }
        int depth = 0;
        for (int i = open; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '"') {
                Matcher m = LITERAL.matcher(src);
                if (m.find(i) && m.start() == i) {
                    i = m.end() - 1;
                    continue;
                }
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return src.substring(open + 1, i);
        }
        return src.substring(open + 1);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Object> enumConstants(String className) {
        try {
            return Arrays.asList(Class.forName(className).getEnumConstants());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the dynamic key family's enum moved: " + className, e);
        }
    }

    private static List<String> settingNames() {
        return List.of(KernelSettings.TW_REUSE, KernelSettings.TW_REUSE_DELAY, KernelSettings.TW_RECYCLE,
                KernelSettings.TIMESTAMPS, KernelSettings.FIN_TIMEOUT, KernelSettings.MAX_TW_BUCKETS,
                KernelSettings.PORT_RANGE, KernelSettings.RESERVED_PORTS, KernelSettings.MAX_SYN_BACKLOG,
                KernelSettings.SOMAXCONN, KernelSettings.SYNCOOKIES, KernelSettings.KEEPALIVE_TIME,
                KernelSettings.KEEPALIVE_INTVL, KernelSettings.KEEPALIVE_PROBES);
    }
}
