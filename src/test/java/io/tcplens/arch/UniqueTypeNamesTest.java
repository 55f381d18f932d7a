package io.tcplens.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every top-level type under {@code io.tcplens} (main and test sources) has a simple name no other
 * one has: a reader who sees {@code Segment} in a file, a stack trace or a search result knows which
 * one it is without looking at the imports (issue 12 found two {@code Segment}s).
 */
class UniqueTypeNamesTest {
    private static final List<Path> ROOTS = List.of(Path.of("src", "main", "java"), Path.of("src", "test", "java"));
    /** A top-level declaration: at the start of a line, modifiers, then the kind and the name. */
    static final Pattern TOP_LEVEL = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    @Test
    void noTwoTopLevelTypesShareASimpleName() throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root.resolve(Path.of("io", "tcplens")))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    for (String name : topLevelTypes(Files.readString(f)))
                        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(root.relativize(f).toString());
                }
            }
        }
        assertTrue(byName.size() > 300, "the scan found the sources (" + byName.size() + " type names)");
        List<String> duplicates = byName.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " in " + e.getValue()).toList();
        assertEquals(List.of(), duplicates, "top-level type names used twice: rename one so the name says what it is");
    }

    @Test
    void theScanFindsTopLevelTypesOnly() {
        String source = """
                package x;

                /** class Commented {} */
                public final class Outer {
                    record Nested(int a) {}
                }
                sealed interface Shape permits Outer {}
                enum Colour { RED }
                """;
        assertEquals(List.of("Outer", "Shape", "Colour"), topLevelTypes(source));
    }

    static List<String> topLevelTypes(String source) {
        List<String> out = new ArrayList<>();
        Matcher m = TOP_LEVEL.matcher(source);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
